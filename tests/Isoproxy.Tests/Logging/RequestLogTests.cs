using System.Text.Json;
using Isoproxy.Configuration;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Logging;

/// <summary>One metadata line per request; never a body, never a credential.</summary>
public sealed class RequestLogTests
{
    private const string SecretPrompt = "prompt-content-that-must-not-be-logged";
    private const string ClientKey = "client-credential-that-must-not-be-logged";

    private static async Task<ProxyTestEnvironment> SendOneAsync(LogMode mode)
    {
        var ct = TestContext.Current.CancellationToken;
        var env = await ProxyTestEnvironment.StartAsync(config => config with { Logging = new LoggingConfig(mode) }, cancellationToken: ct);
        env.Upstream.Enqueue(FakeResponse.Json(200, """{"reply":"response-content-that-must-not-be-logged"}""", ("request-id", "req_logged")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages?beta=true&secret-query=1") { Content = new StringContent($$"""{"prompt":"{{SecretPrompt}}"}""") };
        request.Headers.TryAddWithoutValidation("x-api-key", ClientKey);
        using var response = await env.Client.SendAsync(request, ct);
        await response.Content.ReadAsByteArrayAsync(ct);
        return env;
    }

    [Fact]
    public async Task MetadataMode_OneJsonLineWithTheDocumentedFields()
    {
        await using var env = await SendOneAsync(LogMode.Metadata);

        var line = Assert.Single(await env.WaitForLogLinesAsync(1));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        Assert.StartsWith("iso_", root.GetProperty("request_id").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("time").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.Equal("anthropic", root.GetProperty("provider").GetString());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/v1/messages", root.GetProperty("path").GetString());
        Assert.Equal(200, root.GetProperty("status").GetInt32());
        Assert.Equal(env.Upstream.Requests[0].Body.Length, root.GetProperty("request_bytes").GetInt64());
        Assert.True(root.GetProperty("response_bytes").GetInt64() > 0);
        Assert.True(root.GetProperty("ttfb_ms").GetInt64() >= 0);
        Assert.True(root.GetProperty("duration_ms").GetInt64() >= root.GetProperty("ttfb_ms").GetInt64());
        Assert.Equal("req_logged", root.GetProperty("upstream_request_id").GetString());
        Assert.Equal("ok", root.GetProperty("outcome").GetString());
        Assert.False(root.TryGetProperty("request_headers", out _));
        AssertNothingSecret(env);
    }

    [Fact]
    public async Task OffMode_WritesNothingPerRequest()
    {
        await using var env = await SendOneAsync(LogMode.Off);
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Equal("", env.RequestLog);
        AssertNothingSecret(env);
    }

    [Fact]
    public async Task DebugMode_AddsHeadersWithCredentialsRedacted()
    {
        await using var env = await SendOneAsync(LogMode.Debug);

        var line = Assert.Single(await env.WaitForLogLinesAsync(1));
        using var json = JsonDocument.Parse(line);
        var requestHeaders = json.RootElement.GetProperty("request_headers").EnumerateArray()
            .ToDictionary(h => h[0].GetString()!, h => h[1].GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("[redacted]", requestHeaders["x-api-key"]);
        var responseHeaders = json.RootElement.GetProperty("response_headers").EnumerateArray()
            .ToDictionary(h => h[0].GetString()!, h => h[1].GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal("req_logged", responseHeaders["request-id"]);
        AssertNothingSecret(env);
    }

    [Fact]
    public async Task RefusedRequest_LoggedWithItsReason()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);

        using var response = await env.Client.DeleteAsync("/v1/messages", ct);

        using var json = JsonDocument.Parse(Assert.Single(await env.WaitForLogLinesAsync(1)));
        Assert.Equal(405, json.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("method_not_allowed", json.RootElement.GetProperty("outcome").GetString());
    }

    private static void AssertNothingSecret(ProxyTestEnvironment env)
    {
        var everything = env.RequestLog + env.Diagnostics;
        Assert.DoesNotContain(SecretPrompt, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("response-content-that-must-not-be-logged", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(ProxyTestEnvironment.UpstreamKey, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-query", everything, StringComparison.Ordinal);
    }
}
