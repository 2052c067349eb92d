using System.Collections.Immutable;
using System.Net;

namespace Isoproxy.Configuration;

/// <summary>
/// The <c>admin:</c> section as a table. Its keys are <c>listen:</c>'s address keys, of the same
/// kinds; the rules across keys are in <see cref="AdminRules"/>.
/// </summary>
internal static class AdminFields
{
    public static ConfigField<AdminConfig, IPEndPoint?> Tcp { get; } = new(
        "tcp", SocketKinds.EndPoint, null, c => c.Tcp, (c, v) => c with { Tcp = v },
        "As `listen.tcp`: loopback only unless `unsafe_allow_non_loopback`. Metrics name providers and clients, so they stay on the local machine by default.");

    public static ConfigField<AdminConfig, string?> Unix { get; } = new(
        "unix", SocketKinds.SocketPath, null, c => c.UnixSocketPath, (c, v) => c with { UnixSocketPath = v },
        "A Unix domain socket for the admin listener.");

    public static ConfigField<AdminConfig, UnixFileMode> UnixMode { get; } = new(
        "unix_mode", SocketKinds.SocketMode, ListenFields.DefaultUnixMode, c => c.UnixSocketMode, (c, v) => c with { UnixSocketMode = v },
        "File mode of that socket. As for `listen.unix_mode`, the setuid, setgid and sticky bits are errors.");

    public static ConfigField<AdminConfig, bool> UnsafeAllowNonLoopback { get; } = new(
        "unsafe_allow_non_loopback", FieldKinds.Bool, false, c => c.UnsafeAllowNonLoopback, (c, v) => c with { UnsafeAllowNonLoopback = v },
        "Lets `tcp` be a non-loopback address (warned about at every start), e.g. for a scraper on another host.");

    /// <summary>The rows in the order of the documentation and the effective configuration.</summary>
    public static ImmutableArray<IConfigField<AdminConfig>> All { get; } = [Tcp, Unix, UnixMode, UnsafeAllowNonLoopback];

    /// <summary>Every key's default: what an <c>admin:</c> section that sets nothing more means.</summary>
    public static AdminConfig Defaults { get; } = All.Aggregate(
        new AdminConfig(null, null, ListenFields.DefaultUnixMode, false), (admin, field) => field.WithDefault(admin));
}
