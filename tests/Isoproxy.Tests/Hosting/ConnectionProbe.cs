using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Isoproxy.Tests.Hosting;

/// <summary>A raw client connection that sends only what a test says, and notices when the server closes it.</summary>
internal sealed class ConnectionProbe : IDisposable
{
    private readonly Stopwatch _since = Stopwatch.StartNew();

    private ConnectionProbe(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    public static async Task<ConnectionProbe> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = endPoint is UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken);
            return new ConnectionProbe(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string text, CancellationToken cancellationToken) =>
        await Socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(text), cancellationToken);

    /// <summary>
    /// Reads until the server closes the connection or <paramref name="within"/> passes; returns
    /// what arrived, whether it was closed, and when (since connect).
    /// </summary>
    public async Task<(string Received, bool Closed, TimeSpan At)> ReadUntilClosedAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = await Socket.ReceiveAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return (Text(received), true, _since.Elapsed);
                }
                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            return (Text(received), true, _since.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Text(received), false, _since.Elapsed);
        }
    }

    private static string Text(MemoryStream received) => System.Text.Encoding.UTF8.GetString(received.ToArray());

    public void Dispose() => Socket.Dispose();
}
