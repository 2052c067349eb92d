using System.Buffers;
using Isoproxy.Errors;

namespace Isoproxy.Forwarding;

/// <summary>
/// The upstream response body as the client receives it: the same bytes, in the same order,
/// released as soon as they arrive, within the response's size and time bounds.
/// </summary>
/// <remarks>
/// <para>
/// For an event stream, bytes are released at event boundaries: a complete event goes out at
/// once; the tail of an event still arriving waits for its end (upstreams flush whole events,
/// so in practice nothing waits). When a bound is crossed the client therefore gets whole
/// events, then one SSE <c>error</c> event, then a clean end — never half an event. An event
/// larger than <see cref="MaxHeldEventBytes"/> is passed on in pieces to keep memory fixed; a
/// bound crossed in such an event aborts the connection instead, since no well-formed ending
/// can follow half an event.
/// </para>
/// <para>
/// For any other body, a crossed bound fails the read, and the forwarder aborts the client
/// connection: the client sees a failed response, never a truncated one that looks complete.
/// </para>
/// <para>Either way <see cref="Ended"/> says how the relay ended.</para>
/// <para>
/// Memory is bounded per request: one read buffer and at most one held event, and for an event
/// stream none at all between events. A zero-byte read (what the forwarder's copy loop issues
/// before it rents its own buffer) waits for the upstream's next bytes without a buffer, and the
/// relay's buffer goes back to the pool whenever everything in it has been handed on. Hundreds of
/// streams that wait for their next token then hold only their connections.
/// </para>
/// </remarks>
public sealed class ResponseRelayStream : Stream
{
    /// <summary>Largest partial event held back waiting for its end.</summary>
    public const int MaxHeldEventBytes = 64 * 1024;

    private const int ReadBufferBytes = 16 * 1024;

    /// <summary>Longest single timer; a longer wait is simply re-armed on the next read.</summary>
    private static readonly TimeSpan MaxTimerWait = TimeSpan.FromDays(1);

    private readonly Stream _upstream;
    private readonly RelayLimits _limits;
    private readonly CancellationToken _shutdownGraceExpired;
    private readonly SseBoundaryScanner _scanner = new();
    private readonly Action<int> _onBoundary;

    // Bytes received but not yet handed to the client: [released part | held part]. Rented for
    // one read and grown only when a large event is held; null while nothing is in it.
    private byte[]? _pending;
    private bool _disposed;
    private int _pendingStart;
    private int _pendingReleasable;
    private int _pendingEnd;
    private int _lastBoundary;
    private int _lastBoundaryWithinBudget;
    private bool _midEvent;
    private byte[]? _trailer;
    private int _trailerOffset;
    private bool _upstreamEnded;
    private long _relayedBytes;

    // One timer for every read, reset between reads: a stream of tiny events makes no garbage per event.
    private CancellationTokenSource? _readTimer;
    private CancellationToken _readTimerClientToken;

    // Where the piece being scanned starts in _pending, and where the byte budget ends.
    private int _scanOffset;
    private long _scanBudgetEnd;

    public ResponseRelayStream(Stream upstream, RelayLimits limits, CancellationToken shutdownGraceExpired)
    {
        _upstream = upstream;
        _limits = limits;
        _shutdownGraceExpired = shutdownGraceExpired;
        _onBoundary = OnBoundary;
    }

    /// <summary>
    /// Null while relaying; <see cref="Outcome.Ok"/> once the upstream body ended and all of it
    /// was released; otherwise the bound that ended the relay.
    /// </summary>
    public Outcome? Ended { get; private set; }

    /// <summary>Whether a buffer is rented now: only while bytes wait in it.</summary>
    internal bool HoldsBuffer => _pending is not null;

    /// <summary>Body bytes handed to the client so far (the error event excluded).</summary>
    public long RelayedBytes => _relayedBytes;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.Length == 0)
        {
            // Between events a stream may wait for minutes: wait without holding a buffer. Any
            // other body ends within timeout_seconds, so its caller simply goes on to read.
            if (_limits.IsEventStream && _pendingReleasable == _pendingStart && _trailer is null && !_upstreamEnded)
            {
                await FillAsync(cancellationToken, waitOnly: true);
            }
            return 0;
        }

        while (true)
        {
            if (_pendingReleasable > _pendingStart)
            {
                var count = Math.Min(destination.Length, _pendingReleasable - _pendingStart);
                _pending!.AsSpan(_pendingStart, count).CopyTo(destination.Span);
                _pendingStart += count;
                _relayedBytes += count;
                ReturnBufferIfDrained();
                return count;
            }

            if (_trailer is not null)
            {
                var count = Math.Min(destination.Length, _trailer.Length - _trailerOffset);
                _trailer.AsSpan(_trailerOffset, count).CopyTo(destination.Span);
                _trailerOffset += count;
                return count;
            }

            if (_upstreamEnded)
            {
                ReturnBufferIfDrained();
                return 0;
            }

            await FillAsync(cancellationToken, waitOnly: false);
        }
    }

    /// <summary>
    /// Reads the next piece from upstream and decides what of it may be released; with
    /// <paramref name="waitOnly"/>, only waits (a zero-byte read) until the upstream has bytes or ends.
    /// </summary>
    private async Task FillAsync(CancellationToken clientToken, bool waitOnly)
    {
        CompactPending();
        var into = waitOnly ? Memory<byte>.Empty : RoomForRead();

        var timer = ReadTimer(clientToken);
        var (wait, bound) = NextWait();
        if (wait <= TimeSpan.Zero)
        {
            Breach(bound);
            return;
        }
        if (wait != Timeout.InfiniteTimeSpan)
        {
            timer.CancelAfter(wait > MaxTimerWait ? MaxTimerWait : wait);
        }

        int read;
        try
        {
            read = await _upstream.ReadAsync(into, timer.Token);
        }
        catch (OperationCanceledException) when (!clientToken.IsCancellationRequested)
        {
            Breach(_shutdownGraceExpired.IsCancellationRequested ? Outcome.ShuttingDown : bound);
            return;
        }

        if (waitOnly)
        {
            // Zero bytes say only that bytes (or the end) are there; the next read takes them.
            return;
        }
        if (read == 0)
        {
            EndOfUpstream();
            return;
        }

        if (_limits.IsEventStream)
        {
            _scanOffset = _pendingEnd;
            _scanBudgetEnd = _pendingStart + (_limits.MaxBytes - _relayedBytes);
            _scanner.Scan(into.Span[..read], _onBoundary);
        }
        _pendingEnd += read;
        Release();
    }

    private void OnBoundary(int end)
    {
        _lastBoundary = _scanOffset + end;
        if (_lastBoundary <= _scanBudgetEnd)
        {
            _lastBoundaryWithinBudget = _lastBoundary;
        }
    }

    /// <summary>The read timer, linked to the client and the shutdown grace, disarmed and ready for the next read.</summary>
    private CancellationTokenSource ReadTimer(CancellationToken clientToken)
    {
        if (_readTimer is null || _readTimerClientToken != clientToken || !_readTimer.TryReset())
        {
            _readTimer?.Dispose();
            _readTimer = CancellationTokenSource.CreateLinkedTokenSource(clientToken, _shutdownGraceExpired);
            _readTimerClientToken = clientToken;
        }
        return _readTimer;
    }

    /// <summary>How long the next read may wait, and which bound ends it.</summary>
    private (TimeSpan Wait, Outcome Bound) NextWait()
    {
        var untilDeadline = TimeSpan.FromMilliseconds(_limits.Deadline - Environment.TickCount64);
        if (_limits.IsEventStream && _limits.Idle != Timeout.InfiniteTimeSpan && _limits.Idle < untilDeadline)
        {
            return (_limits.Idle, Outcome.StreamIdleTimeout);
        }
        return (untilDeadline, _limits.IsEventStream ? Outcome.StreamMaxDuration : Outcome.UpstreamTimeout);
    }

    /// <summary>Marks what can go to the client now; a crossed size bound ends the relay.</summary>
    private void Release()
    {
        var budget = _limits.MaxBytes - _relayedBytes;

        if (!_limits.IsEventStream)
        {
            if (_pendingEnd - _pendingStart > budget)
            {
                Breach(Outcome.ResponseTooLarge);
                return;
            }
            _pendingReleasable = _pendingEnd;
            return;
        }

        // Whole events first.
        var releasable = Math.Max(_lastBoundary, _pendingReleasable);
        if (releasable - _pendingStart > budget)
        {
            Breach(Outcome.ResponseTooLarge);
            return;
        }
        if (releasable > _pendingReleasable)
        {
            _pendingReleasable = releasable;
            _midEvent = false;
        }

        // An event too large to hold goes out in pieces.
        if (_pendingEnd - _pendingReleasable > MaxHeldEventBytes)
        {
            if (_pendingEnd - _pendingStart > budget)
            {
                Breach(Outcome.ResponseTooLarge);
                return;
            }
            _pendingReleasable = _pendingEnd;
            _midEvent = true;
        }
    }

    private void EndOfUpstream()
    {
        // Whatever follows the last event boundary is still part of the body: relay it as is.
        if (_pendingEnd - _pendingStart > _limits.MaxBytes - _relayedBytes)
        {
            Breach(Outcome.ResponseTooLarge);
            return;
        }
        _pendingReleasable = _pendingEnd;
        _upstreamEnded = true;
        Ended = Outcome.Ok;
    }

    /// <summary>
    /// Ends the relay on a crossed bound: an event stream gets its whole events so far plus an
    /// SSE error event; anything else fails the read so that the forwarder aborts the client connection.
    /// </summary>
    private void Breach(Outcome bound)
    {
        Ended = bound;
        _upstreamEnded = true;
        // Stop the upstream at once: no more generation, no more billing.
        _upstream.Dispose();

        var row = OutcomeCatalog.Describe(bound);
        if (!_limits.IsEventStream || _midEvent)
        {
            throw new IOException(row.Message(_limits.Config));
        }

        // Only complete events, and only as many as fit, may precede the error event.
        _pendingReleasable = Math.Max(_pendingReleasable, _lastBoundaryWithinBudget);
        _pendingEnd = _pendingReleasable;
        _trailer = ErrorResponseWriter.SseErrorEvent(row.ErrorType, row.Message(_limits.Config));
    }

    /// <summary>Room for one full read behind the held bytes: the buffer is rented, or grown to hold a large event.</summary>
    private Memory<byte> RoomForRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_pending is null || _pending.Length - _pendingEnd < ReadBufferBytes)
        {
            // Held bytes never exceed MaxHeldEventBytes (a larger event is released in pieces),
            // so the buffer never grows past that plus one read.
            var larger = ArrayPool<byte>.Shared.Rent(_pendingEnd + ReadBufferBytes);
            if (_pending is not null)
            {
                Buffer.BlockCopy(_pending, 0, larger, 0, _pendingEnd);
                ArrayPool<byte>.Shared.Return(_pending);
            }
            _pending = larger;
        }
        return _pending.AsMemory(_pendingEnd, ReadBufferBytes);
    }

    /// <summary>Gives the buffer back once everything in it went to the client and no event is held.</summary>
    private void ReturnBufferIfDrained()
    {
        if (_pendingStart != _pendingEnd || _pending is null)
        {
            return;
        }
        ArrayPool<byte>.Shared.Return(_pending);
        _pending = null;
        _pendingStart = _pendingReleasable = _pendingEnd = 0;
        _lastBoundary = _lastBoundaryWithinBudget = 0;
    }

    /// <summary>Moves held bytes to the front so a full read always fits behind them.</summary>
    private void CompactPending()
    {
        if (_pendingStart == 0 || _pending is null)
        {
            return;
        }
        var held = _pendingEnd - _pendingStart;
        Buffer.BlockCopy(_pending, _pendingStart, _pending, 0, held);
        _pendingReleasable -= _pendingStart;
        _lastBoundary = Math.Max(0, _lastBoundary - _pendingStart);
        _lastBoundaryWithinBudget = Math.Max(0, _lastBoundaryWithinBudget - _pendingStart);
        _pendingEnd = held;
        _pendingStart = 0;
    }

    /// <summary>The relay is read asynchronously only; Kestrel and the forwarder never read synchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _upstream.Dispose();
            _readTimer?.Dispose();
            _disposed = true;
            var pending = _pending;
            _pending = null;
            if (pending is not null)
            {
                ArrayPool<byte>.Shared.Return(pending);
            }
        }
        base.Dispose(disposing);
    }
}
