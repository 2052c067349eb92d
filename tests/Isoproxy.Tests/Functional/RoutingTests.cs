using System.Text.Json;
using Isoproxy.Configuration;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>Provider selection by path prefix; everything else refused and never forwarded.</summary>
public sealed class RoutingTests
{
    [Theory]
    // Un-prefixed paths go to the default provider; /<name>/v1/... to that provider.
    [InlineData("/v1/messages", "POST", "anthropic", "/v1/messages")]
    [InlineData("/v1/messages/count_tokens", "POST", "anthropic", "/v1/messages/count_tokens")]
    [InlineData("/v1/models", "GET", "anthropic", "/v1/models")]
    [InlineData("/v1/models/claude-sonnet-4-5-20250929", "GET", "anthropic", "/v1/models/claude-sonnet-4-5-20250929")]
    [InlineData("/anthropic/v1/messages", "POST", "anthropic", "/v1/messages")]
    [InlineData("/second/v1/messages", "POST", "second", "/v1/messages")]
    [InlineData("/second/v1/models", "GET", "second", "/v1/models")]
    public async Task AllowlistedRoute_ForwardedToSelectedProvider(string path, string method, string provider, string upstreamPath)
    {
        await using var env = await ProxyTestEnvironment.StartAsync(
            config => ProxyTestEnvironment.WithSecondProvider(config, "second", UpstreamAuth.Bearer, "second-provider-key") with { DefaultProvider = "anthropic" },
            cancellationToken: TestContext.Current.CancellationToken);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{}");
        }
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal(upstreamPath, upstream.Path);
        // Each provider's requests carry that provider's key, and only it.
        if (provider == "second")
        {
            Assert.Equal("Bearer second-provider-key", upstream.GetHeader("authorization"));
            Assert.False(upstream.HasHeader("x-api-key"));
        }
        else
        {
            Assert.Equal(ProxyTestEnvironment.UpstreamKey, upstream.GetHeader("x-api-key"));
            Assert.False(upstream.HasHeader("authorization"));
        }
    }

    [Theory]
    // Not API routes.
    [InlineData("GET", "/", 404, "route_not_found")]
    [InlineData("POST", "/v1/complete", 404, "route_not_found")]
    [InlineData("POST", "/v1/messages/batches", 404, "route_not_found")]
    [InlineData("GET", "/v2/models", 404, "route_not_found")]
    [InlineData("POST", "/unknown-provider/v1/messages", 404, "route_not_found")]
    // Known paths, wrong method.
    [InlineData("GET", "/v1/messages", 405, "method_not_allowed")]
    [InlineData("DELETE", "/v1/models/claude-x", 405, "method_not_allowed")]
    [InlineData("POST", "/v1/models", 405, "method_not_allowed")]
    [InlineData("PUT", "/anthropic/v1/messages/count_tokens", 405, "method_not_allowed")]
    public async Task NonRoute_RefusedWithAnthropicErrorAndNeverForwarded(string method, string path, int status, string reason)
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(reason, Assert.Single(response.Headers.GetValues("x-isoproxy-error")));
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal(status == 404 ? "not_found_error" : "invalid_request_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.StartsWith("isoproxy: ", json.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        if (status == 405)
        {
            Assert.NotEmpty(response.Content.Headers.Allow);
        }
        Assert.Empty(env.Upstream.Requests);
    }

    [Fact]
    public async Task SeveralProvidersWithoutDefault_UnprefixedRefused_PrefixedServed()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(
            config => ProxyTestEnvironment.WithSecondProvider(config, "second", UpstreamAuth.XApiKey, "k2") with { DefaultProvider = null },
            cancellationToken: TestContext.Current.CancellationToken);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));

        using var unprefixed = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken);
        using var prefixed = await env.Client.PostAsync("/second/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken);

        Assert.Equal(404, (int)unprefixed.StatusCode);
        Assert.Contains("default_provider", await unprefixed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        Assert.Equal(200, (int)prefixed.StatusCode);
        Assert.Equal("k2", Assert.Single(env.Upstream.Requests).GetHeader("x-api-key"));
    }

    [Fact]
    public async Task Health_AnsweredLocally()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);

        using var response = await env.Client.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Empty(env.Upstream.Requests);
    }
}
