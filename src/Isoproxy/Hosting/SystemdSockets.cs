using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Isoproxy.Configuration;

namespace Isoproxy.Hosting;

/// <summary>
/// The sockets systemd passes under socket activation (<c>LISTEN_PID</c>, <c>LISTEN_FDS</c>;
/// descriptors from 3 on), checked before the proxy serves on them.
/// </summary>
public static class SystemdSockets
{
    /// <summary>sd_listen_fds(3): passed descriptors start right after stdin, stdout and stderr.</summary>
    public const int FirstDescriptor = 3;

    /// <summary>
    /// The descriptor numbers passed to the process <paramref name="processId"/>, or the reason
    /// there are none. A <c>LISTEN_PID</c> of another process means the variables were inherited
    /// and the descriptors are not ours.
    /// </summary>
    public static (IReadOnlyList<int> Descriptors, string? Problem) Descriptors(string? listenPid, string? listenFds, int processId)
    {
        const string Hint = "start the proxy through its socket unit (isoproxy.socket) or configure listen.tcp or listen.unix instead";
        if (string.IsNullOrEmpty(listenFds) || string.IsNullOrEmpty(listenPid))
        {
            return ([], $"listen.systemd is true but systemd passed no sockets (LISTEN_FDS and LISTEN_PID are not set); {Hint}");
        }
        if (!int.TryParse(listenPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId)
        {
            return ([], $"listen.systemd is true but the passed sockets belong to another process (LISTEN_PID={Sanitize(listenPid)}, this is {processId}); {Hint}");
        }
        if (!int.TryParse(listenFds, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 1024)
        {
            return ([], $"listen.systemd is true but systemd passed no sockets (LISTEN_FDS={Sanitize(listenFds)}); {Hint}");
        }
        return ([.. Enumerable.Range(FirstDescriptor, count)], null);
    }

    /// <summary>
    /// What each descriptor is; a problem per descriptor that the proxy must not serve on: not a
    /// stream socket, or a TCP address beyond loopback without <c>unsafe_allow_non_loopback</c>.
    /// </summary>
    public static (IReadOnlyList<PassedSocket> Sockets, IReadOnlyList<string> Problems) Inspect(IReadOnlyList<int> descriptors, ListenConfig listen)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        ArgumentNullException.ThrowIfNull(listen);
        var sockets = new List<PassedSocket>();
        var problems = new List<string>();
        foreach (var descriptor in descriptors)
        {
            var (socket, problem) = Describe(descriptor);
            if (problem is null && socket is not null)
            {
                problem = Refusal(socket, listen);
            }
            if (problem is not null)
            {
                problems.Add(problem);
            }
            else if (socket is not null)
            {
                sockets.Add(socket);
            }
        }
        return (sockets, problems);
    }

    /// <summary>The loopback rule of <c>listen.tcp</c> holds for passed TCP sockets too.</summary>
    public static string? Refusal(PassedSocket socket, ListenConfig listen)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(listen);
        if (socket.LocalEndPoint is IPEndPoint ip && !IPAddress.IsLoopback(ip.Address) && !listen.UnsafeAllowNonLoopback)
        {
            return $"passed socket {socket.FileDescriptor} listens on {ip}, which is not a loopback address; the proxy spends provider keys for whoever connects " +
                "(use ListenStream=127.0.0.1:PORT, or set listen.unsafe_allow_non_loopback: true to override)";
        }
        return null;
    }

    private static (PassedSocket? Socket, string? Problem) Describe(int descriptor)
    {
        try
        {
            // Not owned: Kestrel takes the descriptor over once it is known to be good.
            using var socket = new Socket(new SafeSocketHandle(descriptor, ownsHandle: false));
            if (socket.SocketType != SocketType.Stream)
            {
                return (null, $"passed descriptor {descriptor} is a {socket.SocketType} socket; the proxy serves HTTP on stream sockets only (ListenStream=)");
            }
            return socket.LocalEndPoint switch
            {
                IPEndPoint ip => (new PassedSocket(descriptor, ip), null),
                UnixDomainSocketEndPoint unix => (new PassedSocket(descriptor, unix), null),
                var other => (null, $"passed descriptor {descriptor} is a {socket.AddressFamily} socket ({other}); the proxy serves on TCP and Unix sockets only"),
            };
        }
        catch (SocketException exception)
        {
            return (null, $"passed descriptor {descriptor} is not a usable socket: {exception.Message}");
        }
    }

    private static string Sanitize(string value) =>
        new([.. value.Take(32).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '?')]);
}
