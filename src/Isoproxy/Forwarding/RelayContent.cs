using System.Net;

namespace Isoproxy.Forwarding;

/// <summary>
/// Stands in for the upstream response content so that the forwarder reads the body through a
/// <see cref="ResponseRelayStream"/>. Headers stay on the original content, already copied.
/// </summary>
public sealed class RelayContent(HttpContent upstream, Func<Stream, ResponseRelayStream> wrap) : HttpContent
{
    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        wrap(await upstream.ReadAsStreamAsync(cancellationToken));

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await using var source = await CreateContentReadStreamAsync(CancellationToken.None);
        await source.CopyToAsync(stream);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            upstream.Dispose();
        }
        base.Dispose(disposing);
    }
}
