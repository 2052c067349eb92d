namespace Isoproxy.Limits;

/// <summary>
/// Counts requests in flight and refuses the one past <c>max_concurrent_requests</c> at once:
/// a refusal the client can retry beats a queue that grows without bound.
/// </summary>
public sealed class ConcurrencyGate(int maxConcurrent)
{
    private int _inFlight;
    private int _maxConcurrent = maxConcurrent;

    /// <summary>The limit; a configuration reload changes it, and requests in flight keep counting against it.</summary>
    public int MaxConcurrent
    {
        get => Volatile.Read(ref _maxConcurrent);
        set => Volatile.Write(ref _maxConcurrent, value);
    }

    /// <summary>Requests in flight now (for the shutdown event).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= MaxConcurrent)
        {
            return true;
        }
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
