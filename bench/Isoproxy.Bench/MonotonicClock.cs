using System.Diagnostics;

namespace Isoproxy.Bench;

/// <summary>
/// Nanoseconds of the machine's monotonic clock. On Linux every process reads the same clock, so
/// a time stamped by the upstream can be subtracted from a time read by the load driver.
/// </summary>
public static class MonotonicClock
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    public static long NowNanoseconds() => (long)(Stopwatch.GetTimestamp() * NanosecondsPerTick);
}
