using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Isoproxy.Tests.Faults;

/// <summary>A client on a raw TCP connection, for faults an HTTP client library cannot make: leaving mid-stream, sending slowly.</summary>
public sealed class RawClient : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly MemoryStream _received = new();

    private RawClient(TcpClient tcp)
    {
        _tcp = tcp;
    }

    public string ReceivedText => Encoding.UTF8.GetString(_received.ToArray());

    public static async Task<RawClient> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient(endPoint.AddressFamily) { NoDelay = true };
        await tcp.ConnectAsync(endPoint, cancellationToken);
        return new RawClient(tcp);
    }

    public async Task SendAsync(string text, CancellationToken cancellationToken) =>
        await _tcp.GetStream().WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Reads until the received text contains <paramref name="expected"/>; false if the connection ended first.</summary>
    public async Task<bool> ReadUntilAsync(string expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var buffer = new byte[4096];
        while (!ReceivedText.Contains(expected, StringComparison.Ordinal))
        {
            var read = await _tcp.GetStream().ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                return false;
            }
            _received.Write(buffer, 0, read);
        }
        return true;
    }

    /// <summary>
    /// Keeps sending <paramref name="piece"/> every <paramref name="interval"/> while reading,
    /// until the server closes the connection; returns how long that took, or null after <paramref name="timeout"/>.
    /// </summary>
    public async Task<TimeSpan?> TrickleUntilClosedAsync(string piece, TimeSpan interval, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var stream = _tcp.GetStream();
        var reading = DrainAsync(stream, cts.Token);
        try
        {
            while (!reading.IsCompleted)
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes(piece), cts.Token);
                await Task.WhenAny(reading, Task.Delay(interval, cts.Token));
            }
        }
        catch (IOException)
        {
            // Writing failed: the server closed the connection.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        var closed = await reading;
        return closed ? started.Elapsed : null;
    }

    private async Task<bool> DrainAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                _received.Write(buffer, 0, read);
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Closes the connection at once, as a process that exits or a user who presses Esc does.</summary>
    public void Dispose() => _tcp.Dispose();
}
