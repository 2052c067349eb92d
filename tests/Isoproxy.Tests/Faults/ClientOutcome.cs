using System.Net;

namespace Isoproxy.Tests.Faults;

/// <summary>
/// Everything an HTTP client learns from one exchange: the status (when headers arrived), the
/// body it read, and whether the exchange failed (no response, or a body cut short).
/// </summary>
public sealed record ClientOutcome(HttpStatusCode? Status, byte[] Body, Exception? Failure)
{
    /// <summary>Sends the request and reads the whole response, whatever happens.</summary>
    public static async Task<ClientOutcome> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new ClientOutcome(null, [], ex);
        }
        using (response)
        {
            var read = await StreamRead.ReadAsync(response, cancellationToken);
            return new ClientOutcome(response.StatusCode, read.Body, read.Failure);
        }
    }
}
