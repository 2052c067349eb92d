namespace Isoproxy.Limits;

/// <summary>
/// Counts requests in flight and refuses the one past <c>max_concurrent_requests</c> at once:
/// a refusal the client can retry beats a queue that grows without bound.
/// </summary>
public sealed class ConcurrencyGate(int maxConcurrent)
{
    private int _inFlight;

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= maxConcurrent)
        {
            return true;
        }
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
