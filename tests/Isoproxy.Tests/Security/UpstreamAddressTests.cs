using System.Net;
using Isoproxy.Configuration;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>Where the proxy may connect: the connector end to end, on loopback only.</summary>
public sealed class UpstreamAddressTests
{
    private static Task<ProxyTestEnvironment> StartAsync(Func<ProviderConfig, int, ProviderConfig> change) =>
        ProxyTestEnvironment.StartAsync(
            config => config with { Providers = [change(config.Providers[0], config.Providers[0].Endpoint.Port)] },
            cancellationToken: TestContext.Current.CancellationToken);

    private static async Task<HttpResponseMessage> PostAsync(ProxyTestEnvironment env) =>
        await env.Client.PostAsync("/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken);

    [Fact]
    public async Task HostNameResolvingToLoopback_Refused502AndNeverDialled()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync((p, _) => p with { Resolve = [] });

        using var response = await PostAsync(env);

        await ProxyErrorAssert.IsAsync(response, 502, "api_error", "upstream_address_not_allowed",
            "isoproxy: the upstream host resolved only to addresses the proxy may not connect to", ct);
        Assert.Equal(0, env.Upstream.ConnectionCount);
        var line = Assert.Single(await LogLines.WaitAsync(() => env.RequestLog, 1, ct));
        Assert.Equal("upstream_address_not_allowed", line.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task HostNameResolvingToLoopback_UnsafeAllowPrivate_Forwarded()
    {
        await using var env = await StartAsync((p, _) => p with { Resolve = [], UnsafeAllowPrivateAddresses = true });

        using var response = await PostAsync(env);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/v1/messages", Assert.Single(env.Upstream.Requests).Path);
    }

    [Fact]
    public async Task IpLiteralEndpoint_OperatorChoice_Forwarded()
    {
        await using var env = await StartAsync((p, port) => p with { Resolve = [], Endpoint = new Uri($"https://127.0.0.1:{port}") });

        using var response = await PostAsync(env);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Single(env.Upstream.Requests);
    }

    [Fact]
    public async Task PinnedAddress_NoDnsAndTlsStillChecksConfiguredHostName()
    {
        // .invalid never resolves: reaching TLS proves no DNS was used, and the certificate (for
        // localhost) failing proves TLS verified the configured name, not the pinned address.
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync((p, port) => p with { Endpoint = new Uri($"https://isoproxy-test.invalid:{port}") });

        using var response = await PostAsync(env);

        await ProxyErrorAssert.IsAsync(response, 502, "api_error", "upstream_tls_failed",
            "isoproxy: the upstream's TLS certificate could not be verified", ct);
        Assert.Equal(1, env.Upstream.ConnectionCount);
        Assert.Empty(env.Upstream.Requests);
    }

    [Fact]
    public async Task ForbiddenPinBuiltPastTheLoader_RefusedAtConnectTime()
    {
        // The loader refuses such a pin; the connector refuses it again (0.0.0.0 would reach this machine).
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync((p, _) => p with { Resolve = [IPAddress.Any] });

        using var response = await PostAsync(env);

        await ProxyErrorAssert.IsAsync(response, 502, "api_error", "upstream_address_not_allowed",
            "isoproxy: the upstream host resolved only to addresses the proxy may not connect to", ct);
        Assert.Equal(0, env.Upstream.ConnectionCount);
    }

    [Theory]
    [InlineData("169.254.169.254.")]
    [InlineData("100.100.100.200.")]
    public async Task MetadataLiteralWithTrailingDot_BuiltPastTheLoader_RefusedAtConnectTime(string host)
    {
        // A trailing dot must not turn the literal into a name that DNS answers.
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync((p, port) => p with { Resolve = [], Endpoint = new Uri($"https://{host}:{port}") });

        using var response = await PostAsync(env);

        await ProxyErrorAssert.IsAsync(response, 502, "api_error", "upstream_address_not_allowed",
            "isoproxy: the upstream host resolved only to addresses the proxy may not connect to", ct);
    }
}
