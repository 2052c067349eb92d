using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Hosting;

/// <summary>
/// Thousands of idle connections against the real executable: it stays alive, bounded and
/// serving, also when its file-descriptor limit is below the number of connections.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class ConnectionExhaustionTests
{
    private const int HeaderTimeoutSeconds = 2;

    /// <summary>Generous: the proxy idles at well under 100 MB; a leak per connection would pass it.</summary>
    private const long MaxRssBytes = 400L * 1024 * 1024;

    [Fact]
    public async Task TwoThousandIdleConnections_MaxConnections200_StaysAliveBoundedAndServing()
    {
        await RunFloodAsync(wrapper: [], extraLimits: "  max_connections: 200\n", connections: 2000, expectLowered: false);
    }

    [Fact]
    public async Task DescriptorLimitBelowTheConnectionsOpened_StaysAliveAndServing()
    {
        // 600 descriptors, of which the runtime itself holds about 180: 1,500 connections cannot all fit.
        await RunFloodAsync(wrapper: ["prlimit", "--nofile=600:600", "--"], extraLimits: "", connections: 1500, expectLowered: true);
    }

    private static async Task RunFloodAsync(string[] wrapper, string extraLimits, int connections, bool expectLowered)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);
        var directory = Directory.CreateTempSubdirectory("isoproxy-flood-").FullName;
        var idle = new List<Socket>();
        try
        {
            var config = await ProxyTestEnvironment.WriteConfigFileAsync(upstream, directory,
                $"limits:\n  client_header_timeout_seconds: {HeaderTimeoutSeconds}\n{extraLimits}", ct);
            await using var proxy = IsoproxyProcess.StartWrapped(wrapper,
                new Dictionary<string, string> { [ProxyTestEnvironment.UpstreamKeyVariable] = ProxyTestEnvironment.UpstreamKey },
                "serve", "--config", config);
            var endPoint = new IPEndPoint(IPAddress.Loopback, await proxy.WaitForListeningAsync(ct));
            if (expectLowered)
            {
                Assert.Contains("isoproxy: warning: limits.max_connections lowered from 1024 to ", proxy.Stderr, StringComparison.Ordinal);
            }

            // Warm up: the first forwarded request also pays for code loading and the upstream TLS handshake.
            var warm = await UntilAsync(Stopwatch.StartNew(), TimeSpan.FromSeconds(20), () => RawHttp.SendAsync(endPoint, Forward, TimeSpan.FromSeconds(10), ct));
            Assert.Equal(200, RawHttp.StatusOf(warm));

            var floodStarted = Stopwatch.StartNew();
            for (var i = 0; i < connections; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                idle.Add(socket);
                using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                connectTimeout.CancelAfter(TimeSpan.FromSeconds(2));
                try
                {
                    await socket.ConnectAsync(endPoint, connectTimeout.Token);
                }
                catch (Exception ex) when (ex is SocketException or OperationCanceledException)
                {
                    // Refused or reset while in the backlog: the proxy refusing is what is tested.
                }
            }
            var idleSince = Stopwatch.StartNew();

            // Within client_header_timeout_seconds + 2 s of going idle, a fresh client is served.
            var deadline = TimeSpan.FromSeconds(HeaderTimeoutSeconds + 2);
            var health = await UntilAsync(idleSince, deadline, () => RawHttp.SendAsync(endPoint, Health, Remaining(idleSince, deadline), ct));
            var forwarded = await UntilAsync(idleSince, deadline, () => RawHttp.SendAsync(endPoint, Forward, Remaining(idleSince, deadline), ct));
            Assert.True(RawHttp.StatusOf(health) == 200, $"no /health 200 within {deadline} of going idle: {health}\n{proxy.Stderr}");
            Assert.True(RawHttp.StatusOf(forwarded) == 200, $"no forwarded 200 within {deadline} of going idle: {forwarded}\n{proxy.Stderr}");

            Assert.False(proxy.HasExited, $"isoproxy exited: {proxy.Stderr}");
            var rss = RssBytes(proxy.Id);
            Assert.True(rss < MaxRssBytes, $"RSS {rss} bytes");
            // Refusals are reported, at most one line per second.
            var refusalLines = proxy.Stderr.Split('\n').Count(l => l.StartsWith("isoproxy: connections refused: ", StringComparison.Ordinal));
            Assert.InRange(refusalLines, 1, (int)floodStarted.Elapsed.TotalSeconds + 2);
            Assert.DoesNotContain("Out of memory", proxy.Stderr, StringComparison.Ordinal);

            // Once the idle connections are gone it serves as before.
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
            idle.Clear();
            var after = await UntilAsync(Stopwatch.StartNew(), TimeSpan.FromSeconds(5), () => RawHttp.SendAsync(endPoint, Health, TimeSpan.FromSeconds(2), ct));
            Assert.Equal(200, RawHttp.StatusOf(after));
            await proxy.StopAsync(ct);
            Assert.Equal(0, proxy.ExitCode);
        }
        finally
        {
            foreach (var socket in idle)
            {
                socket.Dispose();
            }
            Directory.Delete(directory, recursive: true);
        }
    }

    private const string Health = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    private const string Forward = "POST /v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}";

    /// <summary>What is left until <paramref name="deadline"/>, at least 100 ms.</summary>
    private static TimeSpan Remaining(Stopwatch since, TimeSpan deadline) =>
        deadline - since.Elapsed > TimeSpan.FromMilliseconds(100) ? deadline - since.Elapsed : TimeSpan.FromMilliseconds(100);

    /// <summary>Sends until a 200 comes back or the deadline (measured from <paramref name="since"/>) passes; returns the last answer.</summary>
    private static async Task<string> UntilAsync(Stopwatch since, TimeSpan deadline, Func<Task<string>> send)
    {
        var response = "";
        while (since.Elapsed < deadline)
        {
            try
            {
                response = await send();
            }
            catch (SocketException ex)
            {
                // Refused at accept while the flood lasts: try again.
                response = ex.Message;
            }
            if (RawHttp.StatusOf(response) == 200)
            {
                return response;
            }
            await Task.Delay(100);
        }
        return response;
    }

    private static long RssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").Single(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
