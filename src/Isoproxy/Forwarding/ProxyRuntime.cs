using System.Collections.Frozen;
using Isoproxy.Configuration;
using Isoproxy.Logging;

namespace Isoproxy.Forwarding;

/// <summary>
/// One validated configuration and what is built from it: the upstream connection pools and the
/// request log writer. A request takes a lease on the runtime current when it starts and keeps
/// using it to its last byte; after a reload replaces it, the pools are disposed when the last
/// request that started on it has finished.
/// </summary>
public sealed class ProxyRuntime
{
    // One lease is the holder's own, released when the runtime is replaced.
    private int _leases = 1;

    public ProxyRuntime(ProxyConfig config, TextWriter requestLog)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        Upstreams = config.Providers.ToFrozenDictionary(p => p.Name, p => UpstreamClientFactory.Create(p, config.Limits), StringComparer.Ordinal);
        Log = new RequestLogWriter(requestLog, config.Logging.Mode);
    }

    public ProxyConfig Config { get; }

    public FrozenDictionary<string, HttpMessageInvoker> Upstreams { get; }

    public RequestLogWriter Log { get; }

    /// <summary>True once the pools are disposed (no lease left).</summary>
    public bool IsDisposed => Volatile.Read(ref _leases) == 0;

    /// <summary>Takes a lease; false when the runtime has already been released for good.</summary>
    internal bool TryAcquire()
    {
        while (true)
        {
            var leases = Volatile.Read(ref _leases);
            if (leases == 0)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _leases, leases + 1, leases) == leases)
            {
                return true;
            }
        }
    }

    /// <summary>Returns a lease; the last one disposes the upstream pools.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0)
        {
            foreach (var upstream in Upstreams.Values)
            {
                upstream.Dispose();
            }
        }
    }
}
