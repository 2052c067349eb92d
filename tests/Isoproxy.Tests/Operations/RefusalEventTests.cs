using System.Net;
using System.Text.Json;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Operations;

/// <summary>Refusals the handler makes become security events with exactly their documented fields.</summary>
public sealed class RefusalEventTests
{
    private static JsonElement SingleEvent(OperatedProxy proxy, string name) =>
        Assert.Single(proxy.Events, e => e.GetProperty("event").GetString() == name);

    [Fact]
    public async Task UpstreamResolvingToLoopback_UpstreamAddressRefusedEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        // No pin: the name resolves through DNS to loopback, which the address policy refuses.
        var yaml = OperatedProxy.Yaml(proxy.Upstream).Replace("    resolve: [127.0.0.1]\n", "", StringComparison.Ordinal)
            .Replace(proxy.Upstream.BaseUri.GetLeftPart(UriPartial.Authority), $"https://localhost:{proxy.Upstream.Port}", StringComparison.Ordinal);
        Assert.True((await proxy.RewriteAndReloadAsync(yaml, ct)).Succeeded);

        using var response = await proxy.Client.PostAsync("/v1/messages", new StringContent("{}"), ct);
        await proxy.WaitForRequestsAsync(1, ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_address_not_allowed", Assert.Single(response.Headers.GetValues("x-isoproxy-error")));
        var refused = SingleEvent(proxy, "upstream_address_refused");
        Assert.Equal(["time", "event", "request_id", "provider", "host"], refused.EnumerateObject().Select(p => p.Name));
        Assert.Equal("anthropic", refused.GetProperty("provider").GetString());
        Assert.Equal("localhost", refused.GetProperty("host").GetString());
        var logged = JsonDocument.Parse(proxy.RequestLog.Split('\n')[0]).RootElement;
        Assert.Equal(logged.GetProperty("request_id").GetString(), refused.GetProperty("request_id").GetString());
        Assert.Empty(proxy.Upstream.Requests);
    }

    [Fact]
    public async Task UnixPeerNotAllowed_PeerRefusedEventWithKernelIds()
    {
        var ct = TestContext.Current.CancellationToken;
        var socket = ProxyTestEnvironment.NewSocketPath();
        // Nobody runs as this uid/gid here, so the test's own process is refused.
        var listeners = $"listen:\n  unix: {socket}\n  allowed_uids: [4000000001]\n  allowed_gids: [4000000001]\nadmin:\n  tcp: 127.0.0.1:0\n";
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct, listeners: listeners);
        using var client = UnixSocketHttpClient.Create(socket);

        using var response = await client.PostAsync("/v1/messages", new StringContent("{}"), ct);

        // Refused when the connection was accepted, before any request was read: no request log line.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var refused = SingleEvent(proxy, "peer_refused");
        Assert.Equal(["time", "event", "uid", "gid", "count"], refused.EnumerateObject().Select(p => p.Name));
        Assert.Equal(1, refused.GetProperty("count").GetInt64());
        Assert.Equal("", proxy.RequestLog);
        Assert.Equal(ReadOwnId("-u"), refused.GetProperty("uid").GetUInt32());
        Assert.Equal(ReadOwnId("-g"), refused.GetProperty("gid").GetUInt32());
        Assert.Empty(proxy.Upstream.Requests);
    }

    private static uint ReadOwnId(string flag)
    {
        using var id = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("id", flag) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = id.StandardOutput.ReadToEnd().Trim();
        id.WaitForExit();
        return uint.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }
}
