using Isoproxy.Configuration;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary>
/// Starts the proxy and fake upstream for a fault test: a short shutdown grace so that tearing
/// down a test with a held request stays quick, then the test's own limits.
/// </summary>
public static class FaultEnvironment
{
    public static Task<ProxyTestEnvironment> StartAsync(
        Func<LimitsConfig, LimitsConfig>? limits = null,
        FakeUpstreamOptions? upstreamOptions = null,
        Func<ProxyConfig, ProxyConfig>? configure = null) =>
        ProxyTestEnvironment.StartAsync(
            config =>
            {
                var shortGrace = config.Limits with { ShutdownGrace = TimeSpan.FromSeconds(1) };
                config = config with { Limits = limits is null ? shortGrace : limits(shortGrace) };
                return configure is null ? config : configure(config);
            },
            upstreamOptions,
            TestContext.Current.CancellationToken);

    /// <summary>The configuration with its one provider pointed at <paramref name="endpoint"/>.</summary>
    public static ProxyConfig WithEndpoint(ProxyConfig config, Uri endpoint) =>
        config with { Providers = [config.Providers[0] with { Endpoint = endpoint }] };

    /// <summary>The configuration with its one provider trusting only the CA in <paramref name="caFile"/>.</summary>
    public static ProxyConfig WithCaFile(ProxyConfig config, string caFile) =>
        config with { Providers = [config.Providers[0] with { CaFile = caFile }] };

    /// <summary>A POST to the Messages API with a small JSON body.</summary>
    public static HttpRequestMessage Messages(string body = """{"stream":true}""") =>
        new(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
}
