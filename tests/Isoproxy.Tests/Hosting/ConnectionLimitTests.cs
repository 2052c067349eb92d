using Isoproxy.Hosting;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Hosting;

/// <summary>Idle and surplus connections: closed at accept or at the header deadline, reported, never holding the proxy.</summary>
public sealed class ConnectionLimitTests
{
    private static Task<ProxyTestEnvironment> StartAsync(int maxConnections = 1024, double headerTimeoutSeconds = 10) =>
        ProxyTestEnvironment.StartAsync(
            config => config with
            {
                Limits = config.Limits with
                {
                    MaxConnections = maxConnections,
                    ClientHeaderTimeout = TimeSpan.FromSeconds(headerTimeoutSeconds),
                },
            },
            cancellationToken: TestContext.Current.CancellationToken);

    [Fact]
    public async Task BeyondMaxConnections_ClosedAtAccept_ReportedWithCount_ServesAgainOnceFreed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(maxConnections: 2);
        // Two admitted connections, each proven admitted by an answered request, then idle.
        using var first = await ConnectionProbe.ConnectAsync(env.Proxy.TcpEndPoint!, ct);
        using var second = await ConnectionProbe.ConnectAsync(env.Proxy.TcpEndPoint!, ct);
        foreach (var admitted in new[] { first, second })
        {
            await admitted.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", ct);
            Assert.StartsWith("HTTP/1.1 200 OK", (await admitted.ReadUntilClosedAsync(TimeSpan.FromMilliseconds(500), ct)).Received, StringComparison.Ordinal);
        }

        // The third is closed without being read from: it sends nothing and still sees the close.
        using var third = await ConnectionProbe.ConnectAsync(env.Proxy.TcpEndPoint!, ct);
        var (received, closed, at) = await third.ReadUntilClosedAsync(TimeSpan.FromSeconds(5), ct);

        Assert.True(closed, "the connection beyond max_connections was not closed");
        Assert.Equal("", received);
        Assert.True(at < TimeSpan.FromSeconds(2), $"closed only after {at}");
        await WaitForAsync(() => Task.FromResult(env.Diagnostics.Contains("isoproxy: connections refused: 1 over max_connections (2); 2 open", StringComparison.Ordinal)), ct);
        Assert.Equal(1, env.Proxy.Connections.Refused(ConnectionRefusal.OverMaxConnections));
        Assert.Equal(2, env.Proxy.Connections.Open);

        first.Dispose();
        second.Dispose();
        var response = await RetryAsync(() => RawHttp.SendAsync(env.Proxy.TcpEndPoint!, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", TimeSpan.FromSeconds(5), ct), ct);
        Assert.Equal(200, RawHttp.StatusOf(response));
    }

    [Fact]
    public async Task SilentConnection_ClosedWithinHeaderTimeoutOfAccept_NotTheKeepAliveTime()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(headerTimeoutSeconds: 1);
        using var silent = await ConnectionProbe.ConnectAsync(env.Proxy.TcpEndPoint!, ct);

        var (_, closed, at) = await silent.ReadUntilClosedAsync(TimeSpan.FromSeconds(10), ct);

        Assert.True(closed, "a connection that sent nothing was still open after 10 s");
        Assert.InRange(at, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(3));
        await WaitForAsync(() => Task.FromResult(env.Diagnostics.Contains("1 closed without a complete request within client_header_timeout_seconds", StringComparison.Ordinal)), ct);
    }

    [Fact]
    public async Task FirstByteThenSilence_ClosedWithinHeaderTimeoutOfAccept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(headerTimeoutSeconds: 2);
        using var slow = await ConnectionProbe.ConnectAsync(env.Proxy.TcpEndPoint!, ct);

        await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
        await slow.SendAsync("GET /hea", ct);
        var (_, closed, at) = await slow.ReadUntilClosedAsync(TimeSpan.FromSeconds(10), ct);

        Assert.True(closed);
        Assert.InRange(at, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(3.2));
    }

    [Fact]
    public async Task AfterAFirstRequest_KeepAliveAppliesBetweenRequests_NotTheHeaderTimeout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(headerTimeoutSeconds: 1);
        using var client = await ConnectionProbe.ConnectAsync(env.Proxy.TcpEndPoint!, ct);

        await client.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\n\r\n", ct);
        var (received, closed, _) = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(3), ct);

        Assert.StartsWith("HTTP/1.1 200 OK", received, StringComparison.Ordinal);
        Assert.False(closed, "an idle keep-alive connection was closed after the header timeout");
        await client.SendAsync("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", ct);
        var (second, secondClosed, _) = await client.ReadUntilClosedAsync(TimeSpan.FromSeconds(5), ct);
        Assert.StartsWith("HTTP/1.1 200 OK", second, StringComparison.Ordinal);
        Assert.True(secondClosed);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private static async Task<string> RetryAsync(Func<Task<string>> send, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await send();
            if (RawHttp.StatusOf(response) != 0 || attempt == 20)
            {
                return response;
            }
            await Task.Delay(50, ct);
        }
    }
}
