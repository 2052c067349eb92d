using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>The proxy's upstream client follows nothing and remembers nothing.</summary>
public sealed class UpstreamClientBehaviourTests
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task Redirect_RelayedToClient_NeverFollowed(int status)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        // A redirect to another path on the same upstream would still leave the route allowlist.
        env.Upstream.Enqueue(FakeResponse.Json(status, "{}", ("location", "/v1/elsewhere")));

        using var response = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("/v1/elsewhere", response.Headers.Location?.OriginalString);
        Assert.Single(env.Upstream.Requests);
    }

    [Fact]
    public async Task SetCookie_RelayedToClient_NeverSentBackUpstream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}", ("set-cookie", "upstream-session=abc; Path=/")));
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));

        using var first = await env.Client.GetAsync("/v1/models", ct);
        using var second = await env.Client.GetAsync("/v1/models", ct);

        Assert.Equal("upstream-session=abc; Path=/", Assert.Single(first.Headers.GetValues("set-cookie")));
        Assert.False(env.Upstream.Requests[1].HasHeader("cookie"));
    }
}
