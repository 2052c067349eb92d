namespace Isoproxy.Limits;

/// <summary>
/// The one place <c>max_request_bytes</c> is enforced. A declared length over it is refused
/// before anything is sent upstream (<see cref="DeclaresTooMuch"/>); a body without one (chunked)
/// is counted as the forwarder reads it through this stream, and failed the moment it crosses the
/// bound, so the upstream never receives a complete oversized body. Nothing is buffered.
/// </summary>
public sealed class BoundedRequestBodyStream(Stream inner, long maxBytes) : Stream
{
    public long BytesRead { get; private set; }

    /// <summary>True when the request's declared <c>Content-Length</c> alone is over the bound.</summary>
    public static bool DeclaresTooMuch(long? contentLength, long maxBytes) => contentLength > maxBytes;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        if (BytesRead > maxBytes)
        {
            throw new RequestTooLargeException(maxBytes);
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>The body is read asynchronously only (Kestrel's synchronous IO is off).</summary>
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
}
