namespace Isoproxy.Tests.Faults;

/// <summary>What a client got from a response body: the bytes, and whether the body ended cleanly.</summary>
/// <param name="Body">Every byte received before the end or the failure.</param>
/// <param name="Failure">Null when the body ended cleanly; otherwise why reading it failed (an aborted response).</param>
public sealed record StreamRead(byte[] Body, Exception? Failure)
{
    /// <summary>Reads the body to its end or its failure.</summary>
    public static async Task<StreamRead> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            await stream.CopyToAsync(received, cancellationToken);
            return new StreamRead(received.ToArray(), null);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return new StreamRead(received.ToArray(), ex);
        }
    }
}
