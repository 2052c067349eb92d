using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>listen:</c> section.</summary>
internal static class ListenParser
{
    /// <summary>Only the local machine can reach it, and it is the port the documentation uses.</summary>
    public static readonly IPEndPoint DefaultTcp = new(IPAddress.Loopback, 9000);

    /// <summary>Owner and group may connect: add the agent's user to the socket's group.</summary>
    public const UnixFileMode DefaultUnixMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private static readonly string[] KnownKeys =
        ["tcp", "unix", "unix_mode", "unsafe_allow_non_loopback", "allowed_uids", "allowed_gids", "unsafe_allow_world_socket", "systemd"];

    public static ListenConfig Default { get; } = new(DefaultTcp, null, DefaultUnixMode, false, [], []);

    /// <summary>The listen configuration; <see cref="Default"/> when the section is absent.</summary>
    public static ListenConfig Parse(MappingReader root)
    {
        if (!root.Has("listen"))
        {
            return Default;
        }
        var listen = root.Mapping("listen", KnownKeys);
        if (listen is null)
        {
            return Default;
        }

        var unsafeNonLoopback = listen.Bool("unsafe_allow_non_loopback") ?? false;
        if (unsafeNonLoopback)
        {
            listen.Warning("unsafe_allow_non_loopback",
                "is true: the TCP listener may accept clients from other machines, and anyone who reaches it spends the provider keys");
        }

        var tcp = ParseTcp(listen, unsafeNonLoopback);
        var unix = ParseUnixPath(listen);
        var systemd = ParseSystemd(listen);
        if (!listen.Has("tcp") && !listen.Has("unix") && !systemd)
        {
            root.Error("listen", "set tcp, unix or both (or systemd: true for sockets passed by systemd)");
        }
        var mode = ParseUnixMode(listen);
        var uids = ParseIds(listen, "allowed_uids");
        var gids = ParseIds(listen, "allowed_gids");
        var unsafeWorldSocket = listen.Bool("unsafe_allow_world_socket") ?? false;
        if (unsafeWorldSocket)
        {
            listen.Warning("unsafe_allow_world_socket",
                "is true: a unix_mode with the other-write bit lets every local user connect and spend the provider keys");
        }
        CheckWorldWritable(listen, mode, guarded: root.Has("clients") || !uids.IsEmpty || !gids.IsEmpty || unsafeWorldSocket);
        return new ListenConfig(tcp, unix, mode, unsafeNonLoopback, uids, gids, unsafeWorldSocket, systemd);
    }

    /// <summary>
    /// With <c>systemd: true</c> the socket unit decides every address, path, mode and owner, so
    /// settings that would decide them here are refused rather than silently ignored.
    /// </summary>
    private static bool ParseSystemd(MappingReader listen)
    {
        if (listen.Bool("systemd") != true)
        {
            return false;
        }
        foreach (var key in (string[])["tcp", "unix", "unix_mode"])
        {
            if (listen.Has(key))
            {
                listen.Error(key, "cannot be combined with listen.systemd: true; the socket unit (ListenStream=, SocketMode=) decides where and how the proxy listens");
            }
        }
        return true;
    }

    private static IPEndPoint? ParseTcp(MappingReader listen, bool unsafeNonLoopback)
    {
        var text = listen.String("tcp");
        if (text is null)
        {
            return null;
        }
        if (!TryParseEndPoint(text, out var endPoint))
        {
            listen.Error("tcp", "must be HOST:PORT with HOST an IPv4 address, [IPv6 address] or localhost, and PORT 0-65535");
            return null;
        }
        if (!unsafeNonLoopback && !IPAddress.IsLoopback(endPoint.Address))
        {
            listen.Error("tcp",
                "is not a loopback address; the proxy spends provider keys for whoever connects, so it listens on the local machine only " +
                "(set listen.unsafe_allow_non_loopback: true to override)");
        }
        return endPoint;
    }

    /// <summary>Strict HOST:PORT: no host names other than localhost, because listening must not depend on DNS.</summary>
    internal static bool TryParseEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = DefaultTcp;
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            return false;
        }
        IPAddress? address;
        if (host == "localhost")
        {
            address = IPAddress.Loopback;
        }
        else if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host[1..^1], out address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else if (!IpLiteral.TryParseIPv4(host, out address))
        {
            return false;
        }
        endPoint = new IPEndPoint(address, port);
        return true;
    }

    private static string? ParseUnixPath(MappingReader listen)
    {
        var path = listen.String("unix");
        if (path is not null && !Path.IsPathFullyQualified(path))
        {
            listen.Error("unix", "must be an absolute path");
            return null;
        }
        return path;
    }

    private static UnixFileMode ParseUnixMode(MappingReader listen)
    {
        var text = listen.Scalar("unix_mode")?.Value;
        if (text is null)
        {
            return DefaultUnixMode;
        }
        // Read as written, so a plain 0660 is octal, not the YAML 1.1 integer 432.
        if (text.Length is < 3 or > 4 || !text.All(c => c is >= '0' and <= '7'))
        {
            listen.Error("unix_mode", "must be an octal file mode of 3 or 4 digits, e.g. \"0660\"");
            return DefaultUnixMode;
        }
        var mode = (UnixFileMode)Convert.ToInt32(text, 8);
        if ((mode & SpecialBits) != 0)
        {
            // They mean nothing on a socket; asking for them is a mistake worth stopping.
            listen.Error("unix_mode", "must not set the setuid, setgid or sticky bit (the first of 4 digits must be 0)");
            return DefaultUnixMode;
        }
        return mode;
    }

    private const UnixFileMode SpecialBits = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    /// <summary>
    /// Connecting to a Unix socket needs write permission on it, so the other-write bit opens the
    /// proxy, and the provider keys, to every local user. That is refused unless something else
    /// decides who may connect, or the operator says so explicitly.
    /// </summary>
    private static void CheckWorldWritable(MappingReader listen, UnixFileMode mode, bool guarded)
    {
        if (listen.Has("unix") && (mode & UnixFileMode.OtherWrite) != 0 && !guarded)
        {
            listen.Error("unix_mode",
                "lets every local user connect (the other-write bit is set), and whoever connects spends the provider keys; " +
                "configure clients: tokens or listen.allowed_uids / allowed_gids, or set listen.unsafe_allow_world_socket: true");
        }
    }

    private static ImmutableArray<uint> ParseIds(MappingReader listen, string key)
    {
        var items = listen.Sequence(key);
        if (items is null)
        {
            return [];
        }
        if (!listen.Has("unix") && listen.Bool("systemd") != true)
        {
            // Peer credentials exist only on a Unix socket; on TCP the list would silently do nothing.
            listen.Error(key, "is only valid together with listen.unix or listen.systemd");
        }
        var ids = ImmutableArray.CreateBuilder<uint>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is ConfigScalar { IsNull: false } scalar
                && uint.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                ids.Add(id);
            }
            else
            {
                listen.ItemError(key, i, items[i], "must be a non-negative integer id");
            }
        }
        return ids.ToImmutable();
    }
}
