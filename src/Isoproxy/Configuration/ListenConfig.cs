using System.Collections.Immutable;
using System.Net;

namespace Isoproxy.Configuration;

/// <summary>
/// Where the proxy accepts clients. At least one of <see cref="Tcp"/> and <see cref="UnixSocketPath"/>
/// is set, or <see cref="Systemd"/> alone.
/// </summary>
/// <param name="Tcp">TCP endpoint (<c>listen.tcp</c>), or null for none. Port 0 picks a free port.</param>
/// <param name="UnixSocketPath">Unix domain socket path (<c>listen.unix</c>), or null for none.</param>
/// <param name="UnixSocketMode">File mode of the socket (<c>listen.unix_mode</c>), e.g. 0660 octal.</param>
/// <param name="UnsafeAllowNonLoopback">When false (default) a TCP endpoint must be a loopback address.</param>
/// <param name="AllowedUids">When not empty, Unix-socket peers must have one of these user ids (or an allowed gid).</param>
/// <param name="AllowedGids">When not empty, Unix-socket peers must have one of these group ids (or an allowed uid).</param>
/// <param name="UnsafeAllowWorldSocket">When true, a <see cref="UnixSocketMode"/> with the other-write bit is accepted without client tokens or peer checks.</param>
/// <param name="Systemd">When true (<c>listen.systemd</c>), serve on the sockets systemd passes (LISTEN_FDS) and nothing else.</param>
public sealed record ListenConfig(
    IPEndPoint? Tcp,
    string? UnixSocketPath,
    UnixFileMode UnixSocketMode,
    bool UnsafeAllowNonLoopback,
    ImmutableArray<uint> AllowedUids,
    ImmutableArray<uint> AllowedGids,
    bool UnsafeAllowWorldSocket = false,
    bool Systemd = false);
