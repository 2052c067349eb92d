namespace Isoproxy.Configuration;

/// <summary>
/// Which settings of a reloaded configuration cannot take effect without a restart: the
/// listeners (<c>listen</c>, <c>admin</c>) and the limits that the HTTP server applies to
/// connections, which it reads once when it starts. A reload keeps the running values of these
/// and says which ones differ.
/// </summary>
public static class RestartRequiredChanges
{
    public static IReadOnlyList<string> Find(ProxyConfig running, ProxyConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(loaded);
        var changes = new List<string>();
        if (!SameListen(running.Listen, loaded.Listen))
        {
            changes.Add("listen");
        }
        if (running.Admin != loaded.Admin)
        {
            changes.Add("admin");
        }
        var (a, b) = (running.Limits, loaded.Limits);
        AddIf(changes, a.ShutdownGrace != b.ShutdownGrace, "limits.shutdown_grace_seconds");
        AddIf(changes, a.ClientHeaderTimeout != b.ClientHeaderTimeout, "limits.client_header_timeout_seconds");
        AddIf(changes, a.ClientKeepAlive != b.ClientKeepAlive, "limits.client_keepalive_seconds");
        AddIf(changes, a.ClientMinBodyBytesPerSecond != b.ClientMinBodyBytesPerSecond, "limits.client_min_body_bytes_per_second");
        AddIf(changes, a.MaxRequestHeaderBytes != b.MaxRequestHeaderBytes, "limits.max_request_header_bytes");
        AddIf(changes, a.MaxRequestHeaders != b.MaxRequestHeaders, "limits.max_request_headers");
        AddIf(changes, a.MaxConnections != b.MaxConnections, "limits.max_connections");
        return changes;
    }

    /// <summary>
    /// The configuration a reload runs with: <paramref name="loaded"/>, with the settings that
    /// need a restart kept as they run now.
    /// </summary>
    public static ProxyConfig KeepRunningListeners(ProxyConfig running, ProxyConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(loaded);
        var limits = loaded.Limits with
        {
            ShutdownGrace = running.Limits.ShutdownGrace,
            ClientHeaderTimeout = running.Limits.ClientHeaderTimeout,
            ClientKeepAlive = running.Limits.ClientKeepAlive,
            ClientMinBodyBytesPerSecond = running.Limits.ClientMinBodyBytesPerSecond,
            MaxRequestHeaderBytes = running.Limits.MaxRequestHeaderBytes,
            MaxRequestHeaders = running.Limits.MaxRequestHeaders,
            MaxConnections = running.Limits.MaxConnections,
        };
        return loaded with { Listen = running.Listen, Admin = running.Admin, Limits = limits };
    }

    // ImmutableArray compares by reference; the id lists are compared by content.
    private static bool SameListen(ListenConfig a, ListenConfig b) =>
        Equals(a.Tcp, b.Tcp)
        && a.UnixSocketPath == b.UnixSocketPath
        && a.UnixSocketMode == b.UnixSocketMode
        && a.UnsafeAllowNonLoopback == b.UnsafeAllowNonLoopback
        && a.AllowedUids.SequenceEqual(b.AllowedUids)
        && a.AllowedGids.SequenceEqual(b.AllowedGids)
        && a.UnsafeAllowWorldSocket == b.UnsafeAllowWorldSocket
        && a.Systemd == b.Systemd;

    private static void AddIf(List<string> changes, bool changed, string name)
    {
        if (changed)
        {
            changes.Add(name);
        }
    }
}
