using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary>The time bounds: connect, response headers, non-streaming body, stream idle and stream length.</summary>
public sealed class TimeoutFaultTests
{
    [Fact]
    public async Task UpstreamNeverAnswers_504WithinTimeout()
    {
        await using var env = await FaultEnvironment.StartAsync(l => l with { Timeout = TimeSpan.FromSeconds(1) });
        var scripted = env.Upstream.Enqueue(FakeResponse.NeverAnswer());

        var watch = Stopwatch.StartNew();
        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);
        watch.Stop();

        var message = await FaultAssert.ProxyErrorAsync(response, 504, "api_error", "upstream_timeout", retryCannotHelp: false);
        Assert.Contains("timeout_seconds (1 s)", message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        // The upstream request was abandoned, not left running.
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task NonStreamingBody_NotCompleteWithinTimeout_ClientConnectionAborted()
    {
        await using var env = await FaultEnvironment.StartAsync(l => l with { Timeout = TimeSpan.FromSeconds(1) });
        var scripted = env.Upstream.Enqueue(FakeResponse.Custom(async (context, _, ct) =>
        {
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = 1000;
            await context.Response.Body.WriteAsync("{\"partial\":"u8.ToArray(), ct);
            await context.Response.Body.FlushAsync(ct);
            await Task.Delay(Timeout.Infinite, ct);
        }));

        var watch = Stopwatch.StartNew();
        using var request = FaultEnvironment.Messages("{}");
        var outcome = await ClientOutcome.SendAsync(env.Client, request, TestContext.Current.CancellationToken);

        Assert.NotNull(outcome.Failure);
        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task UpstreamSilentMidStream_IdleBound_EventsThenErrorEvent()
    {
        await using var env = await FaultEnvironment.StartAsync(l => l with { StreamIdle = TimeSpan.FromSeconds(0.5) });
        var scripted = env.Upstream.Enqueue(FakeResponse.SilenceAfter(TestStreams.Deltas(3, TimeSpan.FromMilliseconds(100))));

        var watch = Stopwatch.StartNew();
        using var request = FaultEnvironment.Messages();
        var outcome = await ClientOutcome.SendAsync(env.Client, request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.Null(outcome.Failure);
        var before = FaultAssert.EndsWithSseError(outcome.Body, "stream_idle_seconds (0.5 s)");
        Assert.Equal(3, before.Count);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.6), TimeSpan.FromSeconds(5));
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task StreamLongerThanStreamMax_EventsThenErrorEvent()
    {
        // Events keep flowing (never idle), but the whole stream would take 6 s.
        await using var env = await FaultEnvironment.StartAsync(l => l with { StreamMax = TimeSpan.FromSeconds(1), StreamIdle = TimeSpan.FromSeconds(30) });
        var scripted = env.Upstream.Enqueue(FakeResponse.SlowStream(TestStreams.Deltas(30, TimeSpan.FromMilliseconds(200))));

        var watch = Stopwatch.StartNew();
        using var request = FaultEnvironment.Messages();
        var outcome = await ClientOutcome.SendAsync(env.Client, request, TestContext.Current.CancellationToken);

        Assert.Null(outcome.Failure);
        var before = FaultAssert.EndsWithSseError(outcome.Body, "stream_max_seconds");
        Assert.InRange(before.Count, 2, 8);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(4));
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task TlsHandshakeNeverCompletes_504ConnectTimeout()
    {
        // A listener whose backlog completes the TCP handshake but that never answers the TLS hello.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        await using var env = await FaultEnvironment.StartAsync(
            l => l with { ConnectTimeout = TimeSpan.FromSeconds(0.5) },
            configure: c => FaultEnvironment.WithEndpoint(c, new Uri($"https://localhost:{port}")));

        var watch = Stopwatch.StartNew();
        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        var message = await FaultAssert.ProxyErrorAsync(response, 504, "api_error", "upstream_connect_timeout", retryCannotHelp: false);
        Assert.Contains("connect_timeout_seconds (0.5 s)", message, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.4), TimeSpan.FromSeconds(4));
    }
}
