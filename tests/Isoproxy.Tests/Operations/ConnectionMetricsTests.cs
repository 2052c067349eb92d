using System.Net;
using Isoproxy.Tests.Hosting;
using Xunit;

namespace Isoproxy.Tests.Operations;

/// <summary>The connection limit as an operator sees it: gauges, refusal counters by reason, one event.</summary>
public sealed class ConnectionMetricsTests
{
    [Fact]
    public async Task OverMaxConnections_CountedByReason_OpenGauge_ConnectionLimitEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync("limits:\n  max_connections: 2\n", ct);
        var endPoint = new IPEndPoint(IPAddress.Loopback, proxy.Proxy.TcpEndPoint!.Port);
        using var first = await ConnectionProbe.ConnectAsync(endPoint, ct);
        using var second = await ConnectionProbe.ConnectAsync(endPoint, ct);
        await WaitForAsync(() => proxy.Proxy.Connections.Open == 2, ct);

        // Two refused: both counted, one event (the rest are folded into the next one's count).
        using var third = await ConnectionProbe.ConnectAsync(endPoint, ct);
        using var fourth = await ConnectionProbe.ConnectAsync(endPoint, ct);
        await WaitForAsync(() => proxy.Proxy.Connections.Refused(Isoproxy.Hosting.ConnectionRefusal.OverMaxConnections) == 2, ct);

        var metrics = Exposition.Parse(await proxy.ScrapeAsync(ct));
        Assert.Equal(
            Exposition.Render(new Dictionary<string, double>
            {
                ["isoproxy_connections_refused_total{reason=\"max_connections\"}"] = 2,
                ["isoproxy_connections_refused_total{reason=\"peer_not_allowed\"}"] = 0,
                ["isoproxy_connections_refused_total{reason=\"header_timeout\"}"] = 0,
                ["isoproxy_connections_refused_total{reason=\"out_of_descriptors\"}"] = 0,
            }),
            Exposition.Render(metrics.Series("isoproxy_connections_refused_total")));
        Assert.Equal(2, Assert.Single(metrics.Series("isoproxy_connections_open")).Value);
        var limit = Assert.Single(proxy.Events, e => e.GetProperty("event").GetString() == "connection_limit");
        Assert.Equal(1, limit.GetProperty("count").GetInt64());
        Assert.Equal(2, limit.GetProperty("limit").GetInt64());
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 10 s");
            await Task.Delay(20, ct);
        }
    }
}
