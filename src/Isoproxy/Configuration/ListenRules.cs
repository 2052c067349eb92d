using System.Net;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>
/// The rules of <c>listen:</c> that join several keys. Each runs once the keys it looks at are
/// read (see <see cref="ListenParser"/> for the order) and reports through the section's mapping.
/// </summary>
internal static class ListenRules
{
    /// <summary>A TCP endpoint off the local machine, not explicitly allowed: whoever reaches it spends the provider keys.</summary>
    public static bool IsUnallowedNonLoopback(IPEndPoint? tcp, bool unsafeAllowNonLoopback) =>
        tcp is not null && !unsafeAllowNonLoopback && !IPAddress.IsLoopback(tcp.Address);

    public static void WarnNonLoopback(MappingReader mapping, ListenConfig listen)
    {
        if (listen.UnsafeAllowNonLoopback)
        {
            mapping.Warning(ListenFields.UnsafeAllowNonLoopback.Key,
                "is true: the TCP listener may accept clients from other machines, and anyone who reaches it spends the provider keys");
        }
    }

    public static void CheckLoopback(MappingReader mapping, ListenConfig listen)
    {
        if (IsUnallowedNonLoopback(listen.Tcp, listen.UnsafeAllowNonLoopback))
        {
            mapping.Error(ListenFields.Tcp.Key,
                "is not a loopback address; the proxy spends provider keys for whoever connects, so it listens on the local machine only " +
                "(set listen.unsafe_allow_non_loopback: true to override)");
        }
    }

    /// <summary>
    /// With <c>systemd: true</c> the socket unit decides every address, path, mode and owner, so
    /// settings that would decide them here are refused rather than silently ignored.
    /// </summary>
    public static void CheckSystemdAlone(MappingReader mapping, ListenConfig listen)
    {
        if (!listen.Systemd)
        {
            return;
        }
        foreach (var key in (string[])[ListenFields.Tcp.Key, ListenFields.Unix.Key, ListenFields.UnixMode.Key])
        {
            if (mapping.Has(key))
            {
                mapping.Error(key, "cannot be combined with listen.systemd: true; the socket unit (ListenStream=, SocketMode=) decides where and how the proxy listens");
            }
        }
    }

    /// <summary>A present <c>listen:</c> must name somewhere to listen; the default applies only when it is absent.</summary>
    public static void CheckSomewhereToListen(MappingReader root, MappingReader mapping, ListenConfig listen)
    {
        if (!mapping.Has(ListenFields.Tcp.Key) && !mapping.Has(ListenFields.Unix.Key) && !listen.Systemd)
        {
            root.Error("listen", "set tcp, unix or both (or systemd: true for sockets passed by systemd)");
        }
    }

    /// <summary>
    /// Peer credentials exist only on a Unix socket; on TCP the list would silently do nothing.
    /// Checked before the list's items, so that this comes first.
    /// </summary>
    public static void CheckPeerListNeedsUnixSocket(MappingReader mapping, string key, ListenConfig listen)
    {
        if (mapping.Node(key) is ConfigSequence && !mapping.Has(ListenFields.Unix.Key) && !listen.Systemd)
        {
            mapping.Error(key, "is only valid together with listen.unix or listen.systemd");
        }
    }

    public static void WarnWorldSocket(MappingReader mapping, ListenConfig listen)
    {
        if (listen.UnsafeAllowWorldSocket)
        {
            mapping.Warning(ListenFields.UnsafeAllowWorldSocket.Key,
                "is true: a unix_mode with the other-write bit lets every local user connect and spend the provider keys");
        }
    }

    /// <summary>
    /// Connecting to a Unix socket needs write permission on it, so the other-write bit opens the
    /// proxy, and the provider keys, to every local user. That is refused unless something else
    /// decides who may connect, or the operator says so explicitly.
    /// </summary>
    public static void CheckWorldWritable(MappingReader mapping, ListenConfig listen, bool hasClients)
    {
        var guarded = hasClients || !listen.AllowedUids.IsEmpty || !listen.AllowedGids.IsEmpty || listen.UnsafeAllowWorldSocket;
        if (mapping.Has(ListenFields.Unix.Key) && (listen.UnixSocketMode & UnixFileMode.OtherWrite) != 0 && !guarded)
        {
            mapping.Error(ListenFields.UnixMode.Key,
                "lets every local user connect (the other-write bit is set), and whoever connects spends the provider keys; " +
                "configure clients: tokens or listen.allowed_uids / allowed_gids, or set listen.unsafe_allow_world_socket: true");
        }
    }
}
