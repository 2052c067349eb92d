namespace Isoproxy.Operations;

/// <summary>
/// For an event an attacker can repeat thousands of times a second: at most one line per
/// interval, whose count says how many occurrences it stands for.
/// </summary>
public sealed class EventThrottle(TimeSpan interval, TimeProvider time)
{
    private readonly Lock _lock = new();
    private long _pending;
    private DateTimeOffset _lastWritten = DateTimeOffset.MinValue;

    /// <summary>Counts one occurrence; returns the count to write now, or null when a line went out less than an interval ago.</summary>
    public long? Count()
    {
        lock (_lock)
        {
            _pending++;
            var now = time.GetUtcNow();
            if (now - _lastWritten < interval)
            {
                return null;
            }
            var count = _pending;
            _pending = 0;
            _lastWritten = now;
            return count;
        }
    }
}
