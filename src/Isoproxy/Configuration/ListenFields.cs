using System.Collections.Immutable;
using System.Net;

namespace Isoproxy.Configuration;

/// <summary>
/// The <c>listen:</c> section as a table: one row per key with its kind, its default and the
/// reason for it. Known keys, each key's reading, the effective configuration and the
/// documentation's table come from these rows; the rules across keys are in <see cref="ListenRules"/>.
/// </summary>
internal static class ListenFields
{
    private const string SeeUnsafeSettings = "See [unsafe settings](#unsafe-settings).";

    public static ConfigField<ListenConfig, IPEndPoint?> Tcp { get; } = new(
        "tcp", SocketKinds.EndPoint, null, c => c.Tcp, (c, v) => c with { Tcp = v },
        "Loopback: only the local machine can reach it. HOST is an IPv4 address, `[IPv6]` or `localhost` (= 127.0.0.1); no other names, so listening never depends on DNS. PORT is 0–65535; 0 picks a free port (tests).")
    {
        DocumentedDefault = "`127.0.0.1:9000` (only when `listen` is absent)",
    };

    public static ConfigField<ListenConfig, string?> Unix { get; } = new(
        "unix", SocketKinds.SocketPath, null, c => c.UnixSocketPath, (c, v) => c with { UnixSocketPath = v },
        "A Unix domain socket, e.g. `/run/isoproxy/isoproxy.sock`; file permissions and peer credentials then decide who may connect.");

    /// <summary>Owner and group may connect: add the agent's user to the socket's group.</summary>
    public static ConfigField<ListenConfig, UnixFileMode> UnixMode { get; } = new(
        "unix_mode", SocketKinds.SocketMode, DefaultUnixMode, c => c.UnixSocketMode, (c, v) => c with { UnixSocketMode = v },
        "Owner and group may connect: put the agent's user in the socket's group. Quoted or plain (`0660`); always read as octal. Connecting needs write permission, so a mode with the other-write bit (`0666`, `0777`, …) lets every local user spend the provider keys: it is an error unless `clients:` tokens or `allowed_uids`/`allowed_gids` are configured, or `unsafe_allow_world_socket` is true. The setuid, setgid and sticky bits (`4xxx`, `2xxx`, `1xxx`) mean nothing on a socket and are errors.");

    public static ConfigField<ListenConfig, bool> UnsafeAllowNonLoopback { get; } = new(
        "unsafe_allow_non_loopback", FieldKinds.Bool, false, c => c.UnsafeAllowNonLoopback, (c, v) => c with { UnsafeAllowNonLoopback = v },
        SeeUnsafeSettings);

    public static ConfigField<ListenConfig, bool> UnsafeAllowWorldSocket { get; } = new(
        "unsafe_allow_world_socket", FieldKinds.Bool, false, c => c.UnsafeAllowWorldSocket, (c, v) => c with { UnsafeAllowWorldSocket = v },
        SeeUnsafeSettings);

    public static ConfigField<ListenConfig, ImmutableArray<uint>> AllowedUids { get; } = new(
        "allowed_uids", SocketKinds.IdList, [], c => c.AllowedUids, (c, v) => c with { AllowedUids = v },
        "With `unix` (or `systemd`) only: the peer's user id must be listed (or its primary group id in `allowed_gids`). A peer that is not is answered `403 permission_error` (`x-isoproxy-error: peer_not_allowed`) as soon as it connects, without waiting for its request, and the connection is closed; refusals are reported on stderr (see `max_connections`), not in the request log. An error on TCP, where there are no peer credentials.")
    {
        DocumentedDefault = "`[]` (no check)",
    };

    public static ConfigField<ListenConfig, ImmutableArray<uint>> AllowedGids { get; } = new(
        "allowed_gids", SocketKinds.IdList, [], c => c.AllowedGids, (c, v) => c with { AllowedGids = v },
        "As `allowed_uids`, for group ids.")
    {
        DocumentedDefault = "`[]` (no check)",
    };

    public static ConfigField<ListenConfig, bool> Systemd { get; } = new(
        "systemd", FieldKinds.Bool, false, c => c.Systemd, (c, v) => c with { Systemd = v },
        "Serve on the sockets systemd passes (socket activation: `LISTEN_FDS`/`LISTEN_PID`), TCP and Unix alike, and on nothing else. The socket unit then decides addresses, the socket file's path, mode, owner and group (`ListenStream=`, `SocketMode=`, `SocketGroup=`), so `tcp`, `unix` and `unix_mode` may not be set with it (an error). See [deploy.md](deploy.md).");

    /// <summary>The rows in the order of the documentation and the effective configuration.</summary>
    public static ImmutableArray<IConfigField<ListenConfig>> All { get; } =
        [Tcp, Unix, UnixMode, UnsafeAllowNonLoopback, UnsafeAllowWorldSocket, AllowedUids, AllowedGids, Systemd];

    /// <summary>Every key's default: what a <c>listen:</c> section that sets nothing more means.</summary>
    public static ListenConfig Defaults { get; } = All.Aggregate(
        new ListenConfig(null, null, DefaultUnixMode, false, [], []), (listen, field) => field.WithDefault(listen));

    /// <summary>Owner and group may connect: add the agent's user to the socket's group.</summary>
    public const UnixFileMode DefaultUnixMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;
}
