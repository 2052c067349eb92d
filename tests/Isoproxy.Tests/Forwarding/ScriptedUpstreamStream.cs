namespace Isoproxy.Tests.Forwarding;

/// <summary>
/// An upstream body for relay unit tests: hands out the scripted pieces one read at a time
/// (synchronously), then either ends or, with <c>hangAtEnd</c>, waits until cancelled.
/// </summary>
public sealed class ScriptedUpstreamStream(IReadOnlyList<byte[]> pieces, bool hangAtEnd = false) : Stream
{
    private int _next;
    private int _offset;

    public bool Disposed { get; private set; }

    /// <summary>Reads with an empty buffer: a wait for data, as a socket-backed stream treats them.</summary>
    public int ZeroByteReads { get; private set; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed, this);
        if (buffer.Length == 0)
        {
            ZeroByteReads++;
        }
        if (_next >= pieces.Count)
        {
            if (hangAtEnd)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            return 0;
        }
        var piece = pieces[_next];
        var count = Math.Min(buffer.Length, piece.Length - _offset);
        piece.AsSpan(_offset, count).CopyTo(buffer.Span);
        _offset += count;
        if (_offset == piece.Length)
        {
            _next++;
            _offset = 0;
        }
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}
