using System.Text;

namespace Isoproxy.Tests.Faults;

/// <summary>Reads a response body to its end, running an action once when a marker first arrives.</summary>
public static class StreamWatcher
{
    public static async Task<StreamRead> ReadAsync(HttpResponseMessage response, string marker, Func<Task> onMarker, CancellationToken cancellationToken)
    {
        var received = new MemoryStream();
        var fired = false;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                received.Write(buffer, 0, read);
                if (!fired && Encoding.UTF8.GetString(received.ToArray()).Contains(marker, StringComparison.Ordinal))
                {
                    fired = true;
                    await onMarker();
                }
            }
            return new StreamRead(received.ToArray(), null);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return new StreamRead(received.ToArray(), ex);
        }
    }
}
