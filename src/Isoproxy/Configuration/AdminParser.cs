using System.Net;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>admin:</c> section: the same address rules as <c>listen:</c>, without peer lists.</summary>
internal static class AdminParser
{
    private static readonly string[] KnownKeys = ["tcp", "unix", "unix_mode", "unsafe_allow_non_loopback"];

    /// <summary>The admin listener, or null when the section is absent (no admin listener).</summary>
    public static AdminConfig? Parse(MappingReader root)
    {
        if (!root.Has("admin"))
        {
            return null;
        }
        var admin = root.Mapping("admin", KnownKeys);
        if (admin is null)
        {
            return null;
        }

        var unsafeNonLoopback = admin.Bool("unsafe_allow_non_loopback") ?? false;
        if (unsafeNonLoopback)
        {
            admin.Warning("unsafe_allow_non_loopback",
                "is true: the admin listener may answer other machines, which then see request counts, providers and client names");
        }
        if (!admin.Has("tcp") && !admin.Has("unix"))
        {
            root.Error("admin", "set tcp, unix or both (or leave admin out for no admin listener)");
        }
        var tcp = ParseTcp(admin, unsafeNonLoopback);
        var unix = admin.String("unix");
        if (unix is not null && !Path.IsPathFullyQualified(unix))
        {
            admin.Error("unix", "must be an absolute path");
            unix = null;
        }
        var mode = ParseUnixMode(admin);
        return new AdminConfig(tcp, unix, mode, unsafeNonLoopback);
    }

    private static IPEndPoint? ParseTcp(MappingReader admin, bool unsafeNonLoopback)
    {
        var text = admin.String("tcp");
        if (text is null)
        {
            return null;
        }
        if (!ListenParser.TryParseEndPoint(text, out var endPoint))
        {
            admin.Error("tcp", "must be HOST:PORT with HOST an IPv4 address, [IPv6 address] or localhost, and PORT 0-65535");
            return null;
        }
        if (!unsafeNonLoopback && !IPAddress.IsLoopback(endPoint.Address))
        {
            admin.Error("tcp",
                "is not a loopback address; metrics name providers and clients, so the admin listener serves the local machine only " +
                "(set admin.unsafe_allow_non_loopback: true to override)");
        }
        return endPoint;
    }

    private static UnixFileMode ParseUnixMode(MappingReader admin)
    {
        var text = admin.Scalar("unix_mode")?.Value;
        if (text is null)
        {
            return ListenParser.DefaultUnixMode;
        }
        // Read as written, so a plain 0660 is octal, not the YAML 1.1 integer 432.
        if (text.Length is < 3 or > 4 || !text.All(c => c is >= '0' and <= '7'))
        {
            admin.Error("unix_mode", "must be an octal file mode of 3 or 4 digits, e.g. \"0660\"");
            return ListenParser.DefaultUnixMode;
        }
        return (UnixFileMode)Convert.ToInt32(text, 8);
    }
}
