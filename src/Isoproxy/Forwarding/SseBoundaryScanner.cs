namespace Isoproxy.Forwarding;

/// <summary>
/// Finds where server-sent events end (the line terminator of an empty line) in a byte stream
/// that arrives in arbitrary pieces. It only observes; it never changes a byte.
/// </summary>
/// <remarks>
/// Line terminators are CRLF, LF or CR (WHATWG SSE). A CR at the end of one piece followed by
/// LF at the start of the next is one terminator, so state is carried between pieces.
/// </remarks>
public sealed class SseBoundaryScanner
{
    private bool _lineIsEmpty = true;
    private bool _lastWasCr;

    /// <summary>
    /// Scans <paramref name="data"/> and calls <paramref name="onBoundary"/> with the offset just
    /// after each event's end, in order.
    /// </summary>
    public void Scan(ReadOnlySpan<byte> data, Action<int> onBoundary)
    {
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            if (b == (byte)'\n' && _lastWasCr)
            {
                // Second half of a CRLF whose CR already ended the line.
                _lastWasCr = false;
                continue;
            }

            _lastWasCr = b == (byte)'\r';
            if (b is (byte)'\n' or (byte)'\r')
            {
                if (_lineIsEmpty)
                {
                    // A CR may still be followed by an LF; the event is complete either way, but
                    // an LF already here belongs to it, so that what follows starts a fresh line.
                    onBoundary(b == (byte)'\r' && i + 1 < data.Length && data[i + 1] == (byte)'\n' ? i + 2 : i + 1);
                }
                _lineIsEmpty = true;
            }
            else
            {
                _lineIsEmpty = false;
            }
        }
    }
}
