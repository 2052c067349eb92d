using System.Net;
using System.Net.Sockets;
using System.Text;
using Isoproxy.Tests.Infrastructure;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// A byte-for-byte relay between a client that cannot be instrumented (Claude Code) and the proxy,
/// on loopback TCP or a Unix socket. It copies both directions untouched and keeps a copy of
/// what the client sent, so tests can compare the client's exact requests with the upstream's.
/// </summary>
public sealed class RecordingRelay : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly EndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private readonly List<MemoryStream> _captures = [];
    private readonly List<Task> _connections = [];
    private readonly Task _acceptLoop;
    private readonly string? _socketPath;

    private RecordingRelay(Socket listener, EndPoint target, string? socketPath)
    {
        _listener = listener;
        _target = target;
        _socketPath = socketPath;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>http://127.0.0.1:PORT when listening on TCP.</summary>
    public Uri? TcpBaseUri { get; private init; }

    public string? SocketPath => _socketPath;

    /// <summary>Listens on 127.0.0.1 (free port) and forwards to <paramref name="target"/>.</summary>
    public static RecordingRelay StartTcp(EndPoint target)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        return new RecordingRelay(listener, target, null) { TcpBaseUri = new Uri($"http://127.0.0.1:{port}") };
    }

    /// <summary>Listens on a new Unix socket at <paramref name="path"/> and forwards to <paramref name="target"/>.</summary>
    public static RecordingRelay StartUnix(string path, EndPoint target)
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(64);
        return new RecordingRelay(listener, target, path);
    }

    /// <summary>Every request the client sent so far, connection by connection, in order within a connection.</summary>
    public IReadOnlyList<ClientRequest> Requests
    {
        get
        {
            List<byte[]> captures;
            lock (_lock)
            {
                captures = [.. _captures.Select(c => c.ToArray())];
            }

            return [.. captures.SelectMany(Parse)];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        Task[] connections;
        lock (_lock)
        {
            connections = [.. _connections];
        }

        try
        {
            await Task.WhenAll([_acceptLoop, .. connections]).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or TimeoutException or IOException)
        {
            // Tearing down: connections end however they end.
        }

        _stop.Dispose();
        if (_socketPath is not null)
        {
            File.Delete(_socketPath);
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var capture = new MemoryStream();
            lock (_lock)
            {
                _captures.Add(capture);
                _connections.Add(Task.Run(() => RelayAsync(client, capture)));
            }
        }
    }

    private async Task RelayAsync(Socket client, MemoryStream capture)
    {
        using var clientSocket = client;
        using var upstream = new Socket(_target.AddressFamily, SocketType.Stream, _target.AddressFamily == AddressFamily.Unix ? ProtocolType.Unspecified : ProtocolType.Tcp);
        try
        {
            await upstream.ConnectAsync(_target, _stop.Token);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var toUpstream = CopyAsync(clientSocket, upstream, capture, linked.Token);
            var toClient = CopyAsync(upstream, clientSocket, null, linked.Token);
            await Task.WhenAny(toUpstream, toClient);
            // One side finished: let the other drain briefly, then close both.
            await Task.WhenAll(toUpstream, toClient).WaitAsync(TimeSpan.FromSeconds(2), _stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await linked.CancelAsync();
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // A connection that fails is the client's or proxy's business; the relay just stops.
        }
    }

    private async Task CopyAsync(Socket from, Socket to, MemoryStream? capture, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, ct);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (capture is not null)
                {
                    lock (_lock)
                    {
                        capture.Write(buffer, 0, read);
                    }
                }

                var sent = 0;
                while (sent < read)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, ct);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The connection went away.
        }
    }

    /// <summary>Splits a connection's client bytes into HTTP/1.1 requests (Content-Length or chunked bodies).</summary>
    private static List<ClientRequest> Parse(byte[] data)
    {
        var requests = new List<ClientRequest>();
        var position = 0;
        while (position < data.Length)
        {
            var headerEnd = IndexOf(data, "\r\n\r\n"u8, position);
            if (headerEnd < 0)
            {
                break;
            }

            var lines = Encoding.ASCII.GetString(data, position, headerEnd - position).Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers.Add(new KeyValuePair<string, string>(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }

            position = headerEnd + 4;
            var contentLength = headers.FirstOrDefault(h => string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)).Value;
            var chunked = headers.Any(h => string.Equals(h.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
            byte[] body;
            if (chunked)
            {
                (body, position) = ReadChunked(data, position);
            }
            else
            {
                var length = contentLength is null ? 0 : int.Parse(contentLength, System.Globalization.CultureInfo.InvariantCulture);
                length = Math.Min(length, data.Length - position);
                body = data.AsSpan(position, length).ToArray();
                position += length;
            }

            requests.Add(new ClientRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty, headers, Hashing.Sha256(body), body.Length));
        }

        return requests;
    }

    private static (byte[] Body, int Position) ReadChunked(byte[] data, int position)
    {
        using var body = new MemoryStream();
        while (position < data.Length)
        {
            var lineEnd = IndexOf(data, "\r\n"u8, position);
            if (lineEnd < 0)
            {
                break;
            }

            var sizeText = Encoding.ASCII.GetString(data, position, lineEnd - position).Split(';')[0].Trim();
            var size = int.Parse(sizeText, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            position = lineEnd + 2;
            if (size == 0)
            {
                var trailerEnd = IndexOf(data, "\r\n"u8, position);
                position = trailerEnd < 0 ? data.Length : trailerEnd + 2;
                break;
            }

            body.Write(data, position, Math.Min(size, data.Length - position));
            position += size + 2;
        }

        return (body.ToArray(), position);
    }

    private static int IndexOf(byte[] data, ReadOnlySpan<byte> pattern, int start)
    {
        var index = data.AsSpan(start).IndexOf(pattern);
        return index < 0 ? -1 : start + index;
    }
}
