using Isoproxy.Configuration;

namespace Isoproxy.Forwarding;

/// <summary>The bounds one response relay enforces, taken from the limits in force when the request started.</summary>
/// <param name="Config">The limits in force; also what the relay's error messages quote.</param>
/// <param name="IsEventStream">True for <c>text/event-stream</c>: breaches end the stream with an SSE error event.</param>
/// <param name="Deadline">Moment by which the body must be complete, on the proxy's monotonic clock (<see cref="Environment.TickCount64"/> ms).</param>
public sealed record RelayLimits(LimitsConfig Config, bool IsEventStream, long Deadline)
{
    /// <summary>Most body bytes relayed to the client.</summary>
    public long MaxBytes => Config.MaxResponseBytes;

    /// <summary>Longest wait for the next bytes: streams only (<see cref="Timeout.InfiniteTimeSpan"/> for none).</summary>
    public TimeSpan Idle => IsEventStream ? Config.StreamIdle : Timeout.InfiniteTimeSpan;

    /// <summary>
    /// A stream must end within <c>stream_max_seconds</c> of its headers; any other body within
    /// <c>timeout_seconds</c> of the request's start (the same bound that covered its headers).
    /// </summary>
    public static RelayLimits For(LimitsConfig config, bool isEventStream, long requestStartedAt) => isEventStream
        ? new(config, IsEventStream: true, Environment.TickCount64 + (long)config.StreamMax.TotalMilliseconds)
        : new(config, IsEventStream: false, requestStartedAt + (long)config.Timeout.TotalMilliseconds);
}
