using System.Net;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>
/// Reads the <c>listen:</c> section: each key as its row in <see cref="ListenFields"/> reads it,
/// each rule of <see cref="ListenRules"/> as soon as the keys it joins are read, so problems are
/// reported in the order of the file's meaning.
/// </summary>
internal static class ListenParser
{
    /// <summary>Only the local machine can reach it, and it is the port the documentation uses.</summary>
    public static readonly IPEndPoint DefaultTcp = new(IPAddress.Loopback, 9000);

    private static readonly string[] KnownKeys = [.. ListenFields.All.Select(field => field.Key)];

    /// <summary>Where the proxy listens when the configuration has no <c>listen:</c> section.</summary>
    public static ListenConfig Default { get; } = ListenFields.Defaults with { Tcp = DefaultTcp };

    /// <summary>The listen configuration; <see cref="Default"/> when the section is absent.</summary>
    public static ListenConfig Parse(MappingReader root)
    {
        if (!root.Has("listen"))
        {
            return Default;
        }
        var mapping = root.Mapping("listen", KnownKeys);
        if (mapping is null)
        {
            return Default;
        }

        var listen = ListenFields.UnsafeAllowNonLoopback.Read(mapping, ListenFields.Defaults);
        ListenRules.WarnNonLoopback(mapping, listen);
        listen = ListenFields.Tcp.Read(mapping, listen);
        ListenRules.CheckLoopback(mapping, listen);
        listen = ListenFields.Unix.Read(mapping, listen);
        listen = ListenFields.Systemd.Read(mapping, listen);
        ListenRules.CheckSystemdAlone(mapping, listen);
        ListenRules.CheckSomewhereToListen(root, mapping, listen);
        listen = ListenFields.UnixMode.Read(mapping, listen);
        ListenRules.CheckPeerListNeedsUnixSocket(mapping, ListenFields.AllowedUids.Key, listen);
        listen = ListenFields.AllowedUids.Read(mapping, listen);
        ListenRules.CheckPeerListNeedsUnixSocket(mapping, ListenFields.AllowedGids.Key, listen);
        listen = ListenFields.AllowedGids.Read(mapping, listen);
        listen = ListenFields.UnsafeAllowWorldSocket.Read(mapping, listen);
        ListenRules.WarnWorldSocket(mapping, listen);
        ListenRules.CheckWorldWritable(mapping, listen, hasClients: root.Has("clients"));
        return listen;
    }
}
