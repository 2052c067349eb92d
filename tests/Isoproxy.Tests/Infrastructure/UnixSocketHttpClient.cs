using System.Net.Sockets;

namespace Isoproxy.Tests.Infrastructure;

/// <summary>An HttpClient whose every connection goes to one Unix domain socket, as Claude Code's ANTHROPIC_UNIX_SOCKET does.</summary>
public static class UnixSocketHttpClient
{
    public static HttpClient Create(string socketPath) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://localhost"),
        Timeout = TimeSpan.FromSeconds(30),
    };
}
