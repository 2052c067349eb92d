using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace Isoproxy.Security;

/// <summary>
/// Who is on the other end of a Unix-socket connection, as the kernel says (SO_PEERCRED): the
/// user and primary group of the process that connected. Read once when the connection is
/// accepted and attached to it as a feature; <see cref="Unknown"/> when it could not be read.
/// </summary>
/// <param name="Known">False when the credentials could not be read; such a peer is never allowed.</param>
/// <param name="Uid">The peer's effective user id.</param>
/// <param name="Gid">The peer's effective (primary) group id.</param>
public sealed record PeerCredentials(bool Known, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>struct ucred { pid_t pid; uid_t uid; gid_t gid; }.</summary>
    private const int UcredSize = 12;

    public static PeerCredentials Unknown { get; } = new(false, 0, 0);

    /// <summary>Reads the peer credentials of a connected Unix socket.</summary>
    public static PeerCredentials Read(Socket? socket)
    {
        if (socket is null || socket.AddressFamily != AddressFamily.Unix || !OperatingSystem.IsLinux())
        {
            return Unknown;
        }
        Span<byte> ucred = stackalloc byte[UcredSize];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred) != UcredSize)
            {
                return Unknown;
            }
        }
        catch (SocketException)
        {
            return Unknown;
        }
        // The kernel writes the struct in native byte order.
        return new PeerCredentials(true, MemoryMarshal.Read<uint>(ucred[4..]), MemoryMarshal.Read<uint>(ucred[8..]));
    }

    /// <summary>Kestrel connection middleware for the Unix listener: attaches the peer's credentials to each connection.</summary>
    public static ConnectionDelegate Capture(ConnectionDelegate next) => connection =>
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        connection.Features.Set(Read(socket));
        return next(connection);
    };
}
