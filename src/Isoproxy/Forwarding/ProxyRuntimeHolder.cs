namespace Isoproxy.Forwarding;

/// <summary>The runtime new requests start on; a reload swaps it atomically.</summary>
public sealed class ProxyRuntimeHolder(ProxyRuntime initial) : IDisposable
{
    private ProxyRuntime _current = initial;

    /// <summary>The runtime now in use, without a lease: for display, never for serving a request.</summary>
    public ProxyRuntime Current => Volatile.Read(ref _current);

    /// <summary>A lease on the current runtime; the caller must <see cref="ProxyRuntime.Release"/> it.</summary>
    public ProxyRuntime Acquire()
    {
        while (true)
        {
            var runtime = Volatile.Read(ref _current);
            if (runtime.TryAcquire())
            {
                return runtime;
            }
            // Replaced and drained between the read and the lease: the next read sees its successor.
        }
    }

    /// <summary>New requests start on <paramref name="next"/>; requests on the old runtime finish on it.</summary>
    public void Replace(ProxyRuntime next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Interlocked.Exchange(ref _current, next).Release();
    }

    public void Dispose() => Volatile.Read(ref _current).Release();
}
