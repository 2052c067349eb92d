namespace Isoproxy.Hosting;

/// <summary>
/// Counts open client connections against <c>limits.max_connections</c>, across all listeners,
/// and how many were refused for each <see cref="ConnectionRefusal"/>.
/// </summary>
public sealed class ConnectionGate(int maxConnections)
{
    private int _maxConnections = maxConnections;
    private readonly long[] _refused = new long[Enum.GetValues<ConnectionRefusal>().Length];
    private int _open;

    /// <summary>The limit in force: <c>max_connections</c>, or less when the descriptor limit cannot hold it.</summary>
    public int MaxConnections => Volatile.Read(ref _maxConnections);

    /// <summary>Lowers the limit (see <see cref="DescriptorBudget"/>).</summary>
    public void Restrict(int max) => Volatile.Write(ref _maxConnections, Math.Min(max, MaxConnections));

    /// <summary>Connections open right now.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a place for a new connection; false (and nothing taken) when all are in use.</summary>
    public bool TryOpen()
    {
        if (Interlocked.Increment(ref _open) <= MaxConnections)
        {
            return true;
        }
        Interlocked.Decrement(ref _open);
        return false;
    }

    /// <summary>Gives back the place of a connection that <see cref="TryOpen"/> admitted.</summary>
    public void Close() => Interlocked.Decrement(ref _open);

    /// <summary>Counts one refused connection.</summary>
    public void CountRefused(ConnectionRefusal reason) => Interlocked.Increment(ref _refused[(int)reason]);

    /// <summary>Connections refused for <paramref name="reason"/> since start.</summary>
    public long Refused(ConnectionRefusal reason) => Interlocked.Read(ref _refused[(int)reason]);
}
