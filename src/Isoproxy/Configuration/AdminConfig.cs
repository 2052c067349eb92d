using System.Net;

namespace Isoproxy.Configuration;

/// <summary>
/// The operator's listener (<c>admin:</c>): health, readiness and metrics, never forwarding.
/// At least one of <see cref="Tcp"/> and <see cref="UnixSocketPath"/> is set.
/// </summary>
/// <param name="Tcp">TCP endpoint (<c>admin.tcp</c>), or null for none. Port 0 picks a free port.</param>
/// <param name="UnixSocketPath">Unix domain socket path (<c>admin.unix</c>), or null for none.</param>
/// <param name="UnixSocketMode">File mode of the socket (<c>admin.unix_mode</c>).</param>
/// <param name="UnsafeAllowNonLoopback">When false (default) a TCP endpoint must be a loopback address.</param>
public sealed record AdminConfig(
    IPEndPoint? Tcp,
    string? UnixSocketPath,
    UnixFileMode UnixSocketMode,
    bool UnsafeAllowNonLoopback);
