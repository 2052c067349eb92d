using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Isoproxy.Tests.Infrastructure;

/// <summary>
/// Writes exact request bytes over a fresh TCP connection and reads whatever comes back until
/// the server closes or the timeout ends: for wire-exact and hostile-input tests.
/// </summary>
public static class RawHttp
{
    public static async Task<string> SendAsync(IPEndPoint endPoint, string request, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        await SendAsync(endPoint, Encoding.UTF8.GetBytes(request), timeout, cancellationToken);

    public static async Task<string> SendAsync(IPEndPoint endPoint, byte[] request, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        using var client = new TcpClient(endPoint.AddressFamily);
        await client.ConnectAsync(endPoint, cts.Token);
        var stream = client.GetStream();
        try
        {
            await stream.WriteAsync(request, cts.Token);
            await stream.FlushAsync(cts.Token);
        }
        catch (IOException)
        {
            // The server may refuse and close before reading everything; its answer still counts.
        }

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer, cts.Token);
                if (read == 0)
                {
                    break;
                }
                received.Write(buffer, 0, read);
                if (IsCompleteResponse(received))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // A reset or a timeout ends the exchange; what arrived is the answer.
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>The status code of a raw response, or 0 when none arrived.</summary>
    public static int StatusOf(string response)
    {
        if (!response.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || response.Length < 12)
        {
            return 0;
        }
        return int.Parse(response.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>True once a response with Content-Length has all its body (so keep-alive connections need not time out).</summary>
    private static bool IsCompleteResponse(MemoryStream received)
    {
        var text = Encoding.UTF8.GetString(received.GetBuffer(), 0, (int)received.Length);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0)
        {
            return false;
        }
        foreach (var line in text[..headerEnd].Split("\r\n"))
        {
            if (line.StartsWith("content-length:", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(line.AsSpan("content-length:".Length).Trim(), out var length))
            {
                return Encoding.UTF8.GetByteCount(text[(headerEnd + 4)..]) >= length;
            }
        }
        return false;
    }
}
