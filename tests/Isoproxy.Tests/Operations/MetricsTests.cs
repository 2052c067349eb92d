using System.Security.Cryptography;
using System.Text;
using Isoproxy.Cli;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.Operations;

/// <summary>/metrics after a known mix of requests: exact counts and label sets.</summary>
public sealed class MetricsTests
{
    private static async Task<long> SendAsync(HttpClient client, HttpMethod method, string path, CancellationToken ct, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Post ? new StringContent("{}") : null };
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", token);
        }
        using var response = await client.SendAsync(request, ct);
        return (await response.Content.ReadAsByteArrayAsync(ct)).Length;
    }

    private static void AssertSeries(Dictionary<string, double> expected, Dictionary<string, double> actual) =>
        Assert.Equal(Exposition.Render(expected), Exposition.Render(actual));

    [Fact]
    public async Task Scrape_AfterKnownMix_ExactCountsAndLabels()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        long anthropicBytes = 0, localBytes = 0;

        anthropicBytes += await SendAsync(proxy.Client, HttpMethod.Post, "/v1/messages", ct);
        anthropicBytes += await SendAsync(proxy.Client, HttpMethod.Post, "/anthropic/v1/messages", ct);
        anthropicBytes += await SendAsync(proxy.Client, HttpMethod.Post, "/v1/messages/count_tokens", ct);
        anthropicBytes += await SendAsync(proxy.Client, HttpMethod.Get, "/v1/models", ct);
        // The fake upstream knows no such model: its own 404 is relayed (outcome ok), unlike the proxy's route_not_found.
        anthropicBytes += await SendAsync(proxy.Client, HttpMethod.Get, "/v1/models/fake-model", ct);
        proxy.Upstream.Enqueue(FakeResponse.Error(529, "overloaded_error", "Overloaded"));
        anthropicBytes += await SendAsync(proxy.Client, HttpMethod.Post, "/v1/messages", ct);
        localBytes += await SendAsync(proxy.Client, HttpMethod.Get, "/health", ct);
        localBytes += await SendAsync(proxy.Client, HttpMethod.Get, "/v1/files", ct);
        localBytes += await SendAsync(proxy.Client, HttpMethod.Get, "/etc/passwd?x=1", ct);
        await proxy.WaitForRequestsAsync(9, ct);

        var metrics = Exposition.Parse(await proxy.ScrapeAsync(ct));

        AssertSeries(
            new Dictionary<string, double>
            {
                ["isoproxy_requests_total{outcome=\"ok\",provider=\"anthropic\",route=\"messages\",status=\"200\"}"] = 2,
                ["isoproxy_requests_total{outcome=\"ok\",provider=\"anthropic\",route=\"messages\",status=\"529\"}"] = 1,
                ["isoproxy_requests_total{outcome=\"ok\",provider=\"anthropic\",route=\"count_tokens\",status=\"200\"}"] = 1,
                ["isoproxy_requests_total{outcome=\"ok\",provider=\"anthropic\",route=\"models\",status=\"200\"}"] = 1,
                ["isoproxy_requests_total{outcome=\"ok\",provider=\"anthropic\",route=\"model\",status=\"404\"}"] = 1,
                ["isoproxy_requests_total{outcome=\"ok\",provider=\"none\",route=\"health\",status=\"200\"}"] = 1,
                ["isoproxy_requests_total{outcome=\"route_not_found\",provider=\"none\",route=\"other\",status=\"404\"}"] = 2,
            },
            metrics.Series("isoproxy_requests_total"));
        Assert.Equal("counter", metrics.Types["isoproxy_requests_total"]);
        AssertSeries(
            new Dictionary<string, double>
            {
                ["isoproxy_request_duration_seconds_count{outcome=\"ok\",provider=\"anthropic\",route=\"messages\"}"] = 3,
                ["isoproxy_request_duration_seconds_count{outcome=\"ok\",provider=\"anthropic\",route=\"count_tokens\"}"] = 1,
                ["isoproxy_request_duration_seconds_count{outcome=\"ok\",provider=\"anthropic\",route=\"models\"}"] = 1,
                ["isoproxy_request_duration_seconds_count{outcome=\"ok\",provider=\"anthropic\",route=\"model\"}"] = 1,
                ["isoproxy_request_duration_seconds_count{outcome=\"ok\",provider=\"none\",route=\"health\"}"] = 1,
                ["isoproxy_request_duration_seconds_count{outcome=\"route_not_found\",provider=\"none\",route=\"other\"}"] = 2,
            },
            metrics.Series("isoproxy_request_duration_seconds_count"));
        Assert.Equal("histogram", metrics.Types["isoproxy_request_duration_seconds"]);
        AssertSeries(
            new Dictionary<string, double>
            {
                ["isoproxy_upstream_headers_seconds_count{provider=\"anthropic\",route=\"messages\"}"] = 3,
                ["isoproxy_upstream_headers_seconds_count{provider=\"anthropic\",route=\"count_tokens\"}"] = 1,
                ["isoproxy_upstream_headers_seconds_count{provider=\"anthropic\",route=\"models\"}"] = 1,
                ["isoproxy_upstream_headers_seconds_count{provider=\"anthropic\",route=\"model\"}"] = 1,
            },
            metrics.Series("isoproxy_upstream_headers_seconds_count"));
        AssertSeries(
            new Dictionary<string, double> { ["isoproxy_requests_in_flight{provider=\"anthropic\"}"] = 0 },
            metrics.Series("isoproxy_requests_in_flight"));
        AssertSeries(
            new Dictionary<string, double> { ["isoproxy_request_body_bytes_total{provider=\"anthropic\"}"] = 8 },
            metrics.Series("isoproxy_request_body_bytes_total"));
        AssertSeries(
            new Dictionary<string, double>
            {
                ["isoproxy_response_body_bytes_total{provider=\"anthropic\"}"] = anthropicBytes,
                ["isoproxy_response_body_bytes_total{provider=\"none\"}"] = localBytes,
            },
            metrics.Series("isoproxy_response_body_bytes_total"));
        AssertSeries(
            new Dictionary<string, double>
            {
                ["isoproxy_config_reloads_total{result=\"ok\"}"] = 0,
                ["isoproxy_config_reloads_total{result=\"error\"}"] = 0,
            },
            metrics.Series("isoproxy_config_reloads_total"));
        AssertSeries(
            new Dictionary<string, double> { [$"isoproxy_build_info{{version=\"{IsoproxyCli.Version}\"}}"] = 1 },
            metrics.Series("isoproxy_build_info"));
        var loaded = Assert.Single(metrics.Series("isoproxy_config_loaded_timestamp_seconds")).Value;
        Assert.InRange(loaded, DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        // The runtime's standard process metrics.
        Assert.Contains(metrics.Samples.Keys, k => k.StartsWith("dotnet_process_cpu_time_seconds_total", StringComparison.Ordinal));
        Assert.Contains(metrics.Samples.Keys, k => k.StartsWith("dotnet_process_memory_working_set_bytes", StringComparison.Ordinal));
        // Nothing a client sent becomes a label.
        var text = await proxy.ScrapeAsync(ct);
        Assert.DoesNotContain("passwd", text, StringComparison.Ordinal);
        Assert.DoesNotContain("files", text, StringComparison.Ordinal);
        Assert.DoesNotContain("fake-model", text, StringComparison.Ordinal);
        Assert.DoesNotContain(OperatedProxy.FirstKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_ClientsConfigured_ClientLabelFromConfigurationOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        const string Token = "metrics-client-token-77e1";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Token)));
        await using var proxy = await OperatedProxy.StartAsync($"clients:\n  - name: sandbox-1\n    token_sha256: \"{hash}\"\n", ct);

        await SendAsync(proxy.Client, HttpMethod.Post, "/v1/messages", ct, Token);
        await SendAsync(proxy.Client, HttpMethod.Post, "/v1/messages", ct, Token);
        await SendAsync(proxy.Client, HttpMethod.Post, "/v1/messages", ct, "wrong-token-chosen-by-client");
        await proxy.WaitForRequestsAsync(3, ct);

        var metrics = Exposition.Parse(await proxy.ScrapeAsync(ct));

        AssertSeries(
            new Dictionary<string, double>
            {
                ["isoproxy_requests_total{client=\"sandbox-1\",outcome=\"ok\",provider=\"anthropic\",route=\"messages\",status=\"200\"}"] = 2,
                ["isoproxy_requests_total{client=\"none\",outcome=\"client_unauthenticated\",provider=\"anthropic\",route=\"messages\",status=\"401\"}"] = 1,
            },
            metrics.Series("isoproxy_requests_total"));
        AssertSeries(
            new Dictionary<string, double>
            {
                ["isoproxy_request_duration_seconds_count{client=\"sandbox-1\",outcome=\"ok\",provider=\"anthropic\",route=\"messages\"}"] = 2,
                ["isoproxy_request_duration_seconds_count{client=\"none\",outcome=\"client_unauthenticated\",provider=\"anthropic\",route=\"messages\"}"] = 1,
            },
            metrics.Series("isoproxy_request_duration_seconds_count"));
        // The refusal is also a security event, naming no token.
        var refused = Assert.Single(proxy.Events, e => e.GetProperty("event").GetString() == "client_refused");
        Assert.Equal(401, refused.GetProperty("status").GetInt32());
        Assert.Equal("client_unauthenticated", refused.GetProperty("reason").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, refused.GetProperty("client").ValueKind);
        Assert.Equal("anthropic", refused.GetProperty("provider").GetString());
        Assert.DoesNotContain("wrong-token-chosen-by-client", proxy.Diagnostics + proxy.RequestLog, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, proxy.Diagnostics + proxy.RequestLog, StringComparison.Ordinal);
    }
}
