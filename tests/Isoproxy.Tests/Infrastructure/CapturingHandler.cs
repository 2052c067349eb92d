namespace Isoproxy.Tests.Infrastructure;

/// <summary>Records the exact request bodies and headers a client library sends, then sends them on unchanged.</summary>
public sealed class CapturingHandler() : DelegatingHandler(new SocketsHttpHandler { UseProxy = false })
{
    private readonly List<(HttpRequestMessage Request, byte[] Body)> _sent = [];

    public IReadOnlyList<(HttpRequestMessage Request, byte[] Body)> Sent
    {
        get
        {
            lock (_sent)
            {
                return [.. _sent];
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        if (request.Content is not null)
        {
            // Re-send exactly the captured bytes with the original content headers.
            var replay = new ByteArrayContent(body);
            foreach (var header in request.Content.Headers)
            {
                replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            request.Content = replay;
        }
        lock (_sent)
        {
            _sent.Add((request, body));
        }
        return await base.SendAsync(request, cancellationToken);
    }
}
