using System.Text;
using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Forwarding;
using Isoproxy.Tests.Faults;
using Xunit;

namespace Isoproxy.Tests.Forwarding;

/// <summary>
/// The relay alone, against a scripted upstream: what the client receives for every way a body
/// can arrive and cross a bound. <c>&lt;ERROR&gt;</c> in an expectation stands for the SSE error event.
/// </summary>
public sealed class ResponseRelayStreamTests
{
    private const string ErrorMarker = "<ERROR>";
    private static readonly TimeSpan NoIdle = Timeout.InfiniteTimeSpan;

    /// <summary>Pieces as the upstream delivers them, SSE or not, max_response_bytes, what the client gets (null: the relay fails), and the outcome.</summary>
    public static TheoryData<string[], bool, long, string?, Outcome> Cases => new()
    {
        // Two whole events under the limit: relayed unchanged.
        { ["data: 1\n\n", "data: 2\n\n"], true, 100, "data: 1\n\ndata: 2\n\n", Outcome.Ok },
        // An event split inside a line and between its line ends: unchanged.
        { ["event: a\nda", "ta: 1\n", "\n"], true, 100, "event: a\ndata: 1\n\n", Outcome.Ok },
        // CRLF framing: unchanged.
        { ["data: 1\r\n\r\n", "data: 2\r\n\r\n"], true, 100, "data: 1\r\n\r\ndata: 2\r\n\r\n", Outcome.Ok },
        // The limit falls exactly on an event boundary: that event still goes out, then the error.
        { ["data: 1\n\n", "data: 2\n\n"], true, 9, "data: 1\n\n" + ErrorMarker, Outcome.ResponseTooLarge },
        // One byte short of the first boundary: only the error event.
        { ["data: 1\n\n", "data: 2\n\n"], true, 8, ErrorMarker, Outcome.ResponseTooLarge },
        // Both events in one read, the limit between them: the first, then the error.
        { ["data: 1\n\ndata: 2\n\n"], true, 12, "data: 1\n\n" + ErrorMarker, Outcome.ResponseTooLarge },
        // CRLF framing crossing the limit: the error event starts on a fresh line.
        { ["data: 1\r\n\r\n", "data: 2\r\n\r\n"], true, 15, "data: 1\r\n\r\n" + ErrorMarker, Outcome.ResponseTooLarge },
        // A trailing partial event at the upstream's end, within the limit: relayed as is.
        { ["data: 1\n\ndata: 2"], true, 100, "data: 1\n\ndata: 2", Outcome.Ok },
        // A trailing partial event at the end that crosses the limit: whole events, then the error.
        { ["data: 1\n\ndata: 2"], true, 12, "data: 1\n\n" + ErrorMarker, Outcome.ResponseTooLarge },
        // A non-SSE body under the limit: unchanged.
        { ["{\"a\":", "1}"], false, 100, "{\"a\":1}", Outcome.Ok },
        // A non-SSE body exactly at the limit: unchanged.
        { ["{\"a\":", "1}"], false, 7, "{\"a\":1}", Outcome.Ok },
        // A non-SSE body one byte over: the relay fails so the client connection is aborted.
        { ["{\"a\":", "1}"], false, 6, null, Outcome.ResponseTooLarge },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Read_ScriptedUpstream_ClientGetsExpectedBytes(string[] pieces, bool isEventStream, long maxBytes, string? expected, Outcome expectedOutcome)
    {
        var upstream = new ScriptedUpstreamStream([.. pieces.Select(Encoding.UTF8.GetBytes)]);
        var limits = Limits(maxBytes, isEventStream, NoIdle, Environment.TickCount64 + 60_000);
        using var relay = new ResponseRelayStream(upstream, limits, CancellationToken.None);

        var (received, failure) = await ReadAllAsync(relay);

        Assert.Equal(expectedOutcome, relay.Ended);
        if (expected is null)
        {
            Assert.IsType<IOException>(failure);
            Assert.True(received.Length <= maxBytes);
        }
        else
        {
            Assert.Null(failure);
            AssertReceived(expected, received);
        }
        Assert.Equal(relay.Ended != Outcome.Ok, upstream.Disposed);
    }

    [Fact]
    public async Task Read_EventLargerThanHeldBufferUnderLimit_RelayedUnchanged()
    {
        var big = "data: " + new string('x', ResponseRelayStream.MaxHeldEventBytes + 36 * 1024) + "\n\n";
        var upstream = new ScriptedUpstreamStream([.. Chunk(Encoding.UTF8.GetBytes(big + "data: 2\n\n"), 5000)]);
        using var relay = new ResponseRelayStream(upstream, Limits(1024 * 1024, isEventStream: true), CancellationToken.None);

        var (received, failure) = await ReadAllAsync(relay);

        Assert.Null(failure);
        Assert.Equal(big + "data: 2\n\n", Encoding.UTF8.GetString(received));
        Assert.Equal(Outcome.Ok, relay.Ended);
    }

    [Fact]
    public async Task Read_EventLargerThanTwoReadsButHeld_WholeOrNotAtAll()
    {
        // 40 KB: more than the relay's starting buffer, less than what it may hold back. It is
        // held whole, so crossing the limit inside it still ends with a clean SSE error event.
        var held = "data: " + new string('x', 40 * 1024) + "\n\n";
        var upstream = new ScriptedUpstreamStream([.. Chunk(Encoding.UTF8.GetBytes("data: 1\n\n" + held), 3000)]);
        using var relay = new ResponseRelayStream(upstream, Limits(30 * 1024, isEventStream: true), CancellationToken.None);

        var (received, failure) = await ReadAllAsync(relay);

        Assert.Null(failure);
        AssertReceived("data: 1\n\n" + ErrorMarker, received, "max_response_bytes");
        Assert.Equal(Outcome.ResponseTooLarge, relay.Ended);

        var whole = new ScriptedUpstreamStream([.. Chunk(Encoding.UTF8.GetBytes(held + "data: 2\n\n"), 3000)]);
        using var roomy = new ResponseRelayStream(whole, Limits(1024 * 1024, isEventStream: true), CancellationToken.None);
        var (all, _) = await ReadAllAsync(roomy);
        Assert.Equal(held + "data: 2\n\n", Encoding.UTF8.GetString(all));
    }

    [Fact]
    public async Task Read_EventLargerThanHeldBufferCrossesLimit_RelayFails()
    {
        // Part of this event has already gone out: no well-formed error event can follow, so the relay fails.
        var big = "data: " + new string('x', ResponseRelayStream.MaxHeldEventBytes * 2) + "\n\n";
        var upstream = new ScriptedUpstreamStream([.. Chunk(Encoding.UTF8.GetBytes(big), 5000)]);
        const int limit = 100 * 1024;
        using var relay = new ResponseRelayStream(upstream, Limits(limit, isEventStream: true), CancellationToken.None);

        var (received, failure) = await ReadAllAsync(relay);

        Assert.IsType<IOException>(failure);
        Assert.Equal(Outcome.ResponseTooLarge, relay.Ended);
        Assert.InRange(received.Length, ResponseRelayStream.MaxHeldEventBytes, limit);
        Assert.DoesNotContain("event: error", Encoding.UTF8.GetString(received), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_StreamSilentPastIdle_EventsThenErrorEvent()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("data: 1\n\n")], hangAtEnd: true);
        var limits = Limits(1000, isEventStream: true, TimeSpan.FromMilliseconds(100), Environment.TickCount64 + 60_000);
        using var relay = new ResponseRelayStream(upstream, limits, CancellationToken.None);

        var (received, failure) = await ReadAllAsync(relay);

        Assert.Null(failure);
        AssertReceived("data: 1\n\n" + ErrorMarker, received, "stream_idle_seconds");
        Assert.Equal(Outcome.StreamIdleTimeout, relay.Ended);
        Assert.True(upstream.Disposed);
    }

    [Fact]
    public async Task Read_StreamPastDeadline_EventsThenErrorEvent()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("data: 1\n\n")], hangAtEnd: true);
        var limits = Limits(1000, isEventStream: true, NoIdle, Environment.TickCount64 + 150);
        using var relay = new ResponseRelayStream(upstream, limits, CancellationToken.None);

        var (received, _) = await ReadAllAsync(relay);

        AssertReceived("data: 1\n\n" + ErrorMarker, received);
        Assert.Equal(Outcome.StreamMaxDuration, relay.Ended);
    }

    [Fact]
    public async Task Read_NonStreamingBodyPastDeadline_RelayFails()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("{\"a\":")], hangAtEnd: true);
        var limits = Limits(1000, isEventStream: false, NoIdle, Environment.TickCount64 + 150);
        using var relay = new ResponseRelayStream(upstream, limits, CancellationToken.None);

        var (_, failure) = await ReadAllAsync(relay);

        Assert.IsType<IOException>(failure);
        Assert.Equal(Outcome.UpstreamTimeout, relay.Ended);
        Assert.True(upstream.Disposed);
    }

    [Fact]
    public async Task Read_ShutdownGraceExpires_EventsThenErrorEvent()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("data: 1\n\n")], hangAtEnd: true);
        using var grace = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var relay = new ResponseRelayStream(upstream, Limits(1000, isEventStream: true), grace.Token);

        var (received, _) = await ReadAllAsync(relay);

        AssertReceived("data: 1\n\n" + ErrorMarker, received, "shutting down");
        Assert.Equal(Outcome.ShuttingDown, relay.Ended);
    }

    [Fact]
    public async Task Read_ClientGone_CancellationPropagatesWithoutErrorEvent()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("data: 1\n\n")], hangAtEnd: true);
        using var relay = new ResponseRelayStream(upstream, Limits(1000, isEventStream: true), CancellationToken.None);
        using var client = new CancellationTokenSource();
        var buffer = new byte[100];
        Assert.Equal(9, await relay.ReadAsync(buffer, client.Token));

        client.CancelAfter(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => _ = await relay.ReadAsync(buffer, client.Token));

        Assert.Null(relay.Ended);
    }

    [Fact]
    public async Task ZeroByteRead_EventStream_WaitsOnTheUpstreamAndHoldsNoBufferBetweenEvents()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("data: 1\n\n"), Encoding.UTF8.GetBytes("data: 2\n\ndata: 3"), Encoding.UTF8.GetBytes("\n\n")]);
        using var relay = new ResponseRelayStream(upstream, Limits(1000, isEventStream: true), CancellationToken.None);
        var buffer = new byte[4096];
        var cancellationToken = TestContext.Current.CancellationToken;

        // As the forwarder's copy loop reads: wait without a buffer, then read.
        Assert.Equal(0, await relay.ReadAsync(Memory<byte>.Empty, cancellationToken));
        Assert.Equal(1, upstream.ZeroByteReads);
        Assert.False(relay.HoldsBuffer);
        var first = await relay.ReadAsync(buffer, cancellationToken);
        Assert.Equal("data: 1\n\n", Encoding.UTF8.GetString(buffer, 0, first));
        Assert.False(relay.HoldsBuffer);

        Assert.Equal(0, await relay.ReadAsync(Memory<byte>.Empty, cancellationToken));
        var second = await relay.ReadAsync(buffer, cancellationToken);
        Assert.Equal("data: 2\n\n", Encoding.UTF8.GetString(buffer, 0, second));
        // The start of event 3 is held back until its end arrives, so the buffer stays.
        Assert.True(relay.HoldsBuffer);
        // Something is held but nothing can be released: the wait still goes to the upstream.
        Assert.Equal(0, await relay.ReadAsync(Memory<byte>.Empty, cancellationToken));
        Assert.Equal(3, upstream.ZeroByteReads);
        var third = await relay.ReadAsync(buffer, cancellationToken);
        Assert.Equal("data: 3\n\n", Encoding.UTF8.GetString(buffer, 0, third));
        Assert.False(relay.HoldsBuffer);

        Assert.Equal(0, await relay.ReadAsync(buffer, cancellationToken));
        Assert.Equal(Outcome.Ok, relay.Ended);
    }

    [Fact]
    public async Task ZeroByteRead_StreamSilentPastIdle_ErrorEventFollows()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("data: 1\n\n")], hangAtEnd: true);
        var limits = Limits(1000, isEventStream: true, TimeSpan.FromMilliseconds(100), Environment.TickCount64 + 60_000);
        using var relay = new ResponseRelayStream(upstream, limits, CancellationToken.None);
        var buffer = new byte[4096];
        var cancellationToken = TestContext.Current.CancellationToken;
        var first = await relay.ReadAsync(buffer, cancellationToken);

        // The silence is timed while waiting without a buffer, too.
        Assert.Equal(0, await relay.ReadAsync(Memory<byte>.Empty, cancellationToken));
        Assert.Equal(Outcome.StreamIdleTimeout, relay.Ended);
        var (rest, failure) = await ReadAllAsync(relay);

        Assert.Null(failure);
        AssertReceived("data: 1\n\n" + ErrorMarker, [.. buffer.AsSpan(0, first), .. rest], "stream_idle_seconds");
        Assert.True(upstream.Disposed);
    }

    [Fact]
    public async Task ZeroByteRead_NotAnEventStream_ReturnsAtOnceWithoutTheUpstream()
    {
        var upstream = new ScriptedUpstreamStream([Encoding.UTF8.GetBytes("{\"a\":1}")]);
        using var relay = new ResponseRelayStream(upstream, Limits(1000, isEventStream: false), CancellationToken.None);

        Assert.Equal(0, await relay.ReadAsync(Memory<byte>.Empty, TestContext.Current.CancellationToken));
        var (received, failure) = await ReadAllAsync(relay);

        Assert.Null(failure);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(received));
        Assert.Equal(0, upstream.ZeroByteReads);
        Assert.False(relay.HoldsBuffer);
    }

    private static RelayLimits Limits(long maxBytes, bool isEventStream) =>
        Limits(maxBytes, isEventStream, NoIdle, Environment.TickCount64 + 60_000);

    private static RelayLimits Limits(long maxBytes, bool isEventStream, TimeSpan idle, long deadline) =>
        new(LimitsConfig.Defaults with { MaxResponseBytes = maxBytes, StreamIdle = idle }, isEventStream, deadline);

    private static IEnumerable<byte[]> Chunk(byte[] data, int size) => data.Chunk(size);

    /// <summary>Reads as a forwarder does (4 KB at a time) until the end or a failure.</summary>
    private static async Task<(byte[] Received, Exception? Failure)> ReadAllAsync(ResponseRelayStream relay)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await relay.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
            }
            return (received.ToArray(), null);
        }
        catch (IOException ex)
        {
            return (received.ToArray(), ex);
        }
    }

    /// <summary>The bytes before the marker exactly, then (when marked) one well-formed SSE error event and nothing else.</summary>
    private static void AssertReceived(string expected, byte[] received, string? messageFragment = null)
    {
        var text = Encoding.UTF8.GetString(received);
        var marker = expected.IndexOf(ErrorMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            Assert.Equal(expected, text);
            return;
        }
        Assert.Equal(expected[..marker], text[..Math.Min(marker, text.Length)]);
        var errorEvent = text[marker..];
        Assert.StartsWith("event: error\ndata: ", errorEvent, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", errorEvent, StringComparison.Ordinal);
        var data = errorEvent["event: error\ndata: ".Length..^2];
        Assert.DoesNotContain('\n', data);
        var message = FaultAssert.Envelope(data, "api_error");
        if (messageFragment is not null)
        {
            Assert.Contains(messageFragment, message, StringComparison.Ordinal);
        }
    }
}
