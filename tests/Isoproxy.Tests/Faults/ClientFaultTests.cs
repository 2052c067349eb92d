using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary>Clients that leave mid-stream or send too slowly.</summary>
public sealed class ClientFaultTests
{
    private const string StreamRequest =
        "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{\"stream\":true}";

    [Fact]
    public async Task ClientDisconnectsWhileUpstreamThinks_UpstreamAbortedWithinOneSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await FaultEnvironment.StartAsync();
        // One event, then a long pause (extended thinking): the proxy is waiting on the upstream, not writing.
        var scripted = env.Upstream.Enqueue(FakeResponse.SilenceAfter(TestStreams.Deltas(1, TimeSpan.Zero)));

        DateTimeOffset closedAt;
        using (var client = await RawClient.ConnectAsync(env.Proxy.TcpEndPoint!, ct))
        {
            await client.SendAsync(StreamRequest, ct);
            Assert.True(await client.ReadUntilAsync("part 0", TimeSpan.FromSeconds(5), ct));
            closedAt = DateTimeOffset.UtcNow;
        }

        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(5), ct);
        var delay = scripted.Request.AbortedAt!.Value - closedAt;
        Assert.True(delay < TimeSpan.FromSeconds(1), $"upstream connection closed {delay.TotalMilliseconds:0} ms after the client left");
    }

    [Fact]
    public async Task ClientDisconnectsWhileStreamFlows_UpstreamAbortedWithinOneSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await FaultEnvironment.StartAsync();
        var scripted = env.Upstream.Enqueue(FakeResponse.SlowStream(TestStreams.Deltas(100, TimeSpan.FromMilliseconds(50))));

        DateTimeOffset closedAt;
        using (var client = await RawClient.ConnectAsync(env.Proxy.TcpEndPoint!, ct))
        {
            await client.SendAsync(StreamRequest, ct);
            Assert.True(await client.ReadUntilAsync("part 3", TimeSpan.FromSeconds(5), ct));
            closedAt = DateTimeOffset.UtcNow;
        }

        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(5), ct);
        var delay = scripted.Request.AbortedAt!.Value - closedAt;
        Assert.True(delay < TimeSpan.FromSeconds(1), $"upstream connection closed {delay.TotalMilliseconds:0} ms after the client left");
        Assert.True(scripted.SentBodyLength < TestStreams.Deltas(100, TimeSpan.Zero).Sum(c => c.Data.Length));
    }

    [Fact]
    public async Task SlowLorisHeaders_ConnectionDroppedAfterHeaderTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await FaultEnvironment.StartAsync(l => l with { ClientHeaderTimeout = TimeSpan.FromSeconds(1) });

        using var client = await RawClient.ConnectAsync(env.Proxy.TcpEndPoint!, ct);
        await client.SendAsync("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\n", ct);
        // One more header line every 200 ms: the request never completes.
        var closedAfter = await client.TrickleUntilClosedAsync("x-slow: 1\r\n", TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(8), ct);

        Assert.NotNull(closedAfter);
        // Kestrel checks the deadline on a one-second heartbeat.
        Assert.InRange(closedAfter.Value, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(4));
        Assert.True(client.ReceivedText.Length == 0 || client.ReceivedText.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), client.ReceivedText);
        Assert.Equal(0, env.Upstream.ConnectionCount);
    }

    [Fact]
    public async Task SlowLorisBody_ConnectionDroppedBelowMinimumRate()
    {
        var ct = TestContext.Current.CancellationToken;
        // Kestrel's grace period is a fixed 5 s; after it the body must keep 240 bytes/s.
        await using var env = await FaultEnvironment.StartAsync(l => l with { ClientMinBodyBytesPerSecond = 240 });

        using var client = await RawClient.ConnectAsync(env.Proxy.TcpEndPoint!, ct);
        await client.SendAsync("POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{", ct);
        // 20 bytes/s.
        var closedAfter = await client.TrickleUntilClosedAsync("          ", TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(12), ct);

        Assert.NotNull(closedAfter);
        Assert.InRange(closedAfter.Value, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(10));
        var recorded = env.Upstream.Requests;
        Assert.All(recorded, r => Assert.False(r.BodyComplete));
    }
}
