using System.Diagnostics;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary>
/// Graceful shutdown: no new connections, in-flight streams go on for <c>shutdown_grace_seconds</c>,
/// then end with the SSE error event; the command exits 0.
/// </summary>
public sealed class ShutdownFaultTests
{
    // 40 events over 4 s: the stream outlives the 1 s grace period.
    private static List<SseChunk> LongStream() => TestStreams.Deltas(40, TimeSpan.FromMilliseconds(100));

    [Fact]
    public async Task StopAsync_StreamInFlight_ContinuesForGraceThenErrorEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await FaultEnvironment.StartAsync(l => l with { ShutdownGrace = TimeSpan.FromSeconds(1) });
        var scripted = env.Upstream.Enqueue(FakeResponse.SlowStream(LongStream()));

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Task? stopping = null;
        var stopWatch = new Stopwatch();
        var read = await StreamWatcher.ReadAsync(response, "part 2", () =>
        {
            stopWatch.Start();
            stopping = env.Proxy.StopAsync();
            return Task.CompletedTask;
        }, ct);
        stopWatch.Stop();

        Assert.Null(read.Failure);
        var before = FaultAssert.EndsWithSseError(read.Body, "shutting down");
        // Events kept coming during the grace period, and the stream was ended before its natural end.
        Assert.InRange(before.Count, 3 + 4, 39);
        Assert.InRange(stopWatch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(4));
        await stopping!.WaitAsync(TimeSpan.FromSeconds(10), ct);
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(2), ct);
        Assert.Contains("\"outcome\":\"shutting_down\"", env.RequestLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_NewConnectionDuringGrace_NotServed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await FaultEnvironment.StartAsync(l => l with { ShutdownGrace = TimeSpan.FromSeconds(1) });
        env.Upstream.Enqueue(FakeResponse.SlowStream(LongStream()));

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var stopping = env.Proxy.StopAsync();

        // A fresh connection while the stream is still in its grace period: the listener is closed.
        using var fresh = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = env.ProxyUri };
        using var late = FaultEnvironment.Messages();
        await Assert.ThrowsAsync<HttpRequestException>(() => fresh.SendAsync(late, ct));
        await StreamRead.ReadAsync(response, ct);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    [Fact]
    public async Task Sigterm_ExecutableWithStreamInFlight_GraceThenErrorEventThenExitZero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);
        var scripted = upstream.Enqueue(FakeResponse.SlowStream(LongStream()));
        using var directory = new Configuration.TempDirectory();
        var configPath = await ProxyTestEnvironment.WriteConfigFileAsync(upstream, directory.Path, """
            limits:
              shutdown_grace_seconds: 1
            """, ct);

        await using var proxy = IsoproxyProcess.Start(
            new Dictionary<string, string> { [ProxyTestEnvironment.UpstreamKeyVariable] = ProxyTestEnvironment.UpstreamKey },
            "serve", "--config", configPath);
        var port = await proxy.WaitForListeningAsync(ct);

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var request = FaultEnvironment.Messages();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var stopWatch = new Stopwatch();
        var read = await StreamWatcher.ReadAsync(response, "part 2", async () =>
        {
            stopWatch.Start();
            await proxy.SignalTerminateAsync(ct);
        }, ct);
        stopWatch.Stop();

        Assert.Null(read.Failure);
        var before = FaultAssert.EndsWithSseError(read.Body, "shutting down");
        Assert.InRange(before.Count, 3 + 4, 39);
        Assert.InRange(stopWatch.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(4));
        var exitCode = await proxy.WaitForExitAsync(ct);
        Assert.True(exitCode == 0, $"exit code {exitCode}; stderr:\n{proxy.Stderr}");
        Assert.Contains("isoproxy: stopped", proxy.Stderr, StringComparison.Ordinal);
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(2), ct);
    }

}
