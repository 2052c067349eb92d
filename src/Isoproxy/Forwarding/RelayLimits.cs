namespace Isoproxy.Forwarding;

/// <summary>The bounds one response relay enforces.</summary>
/// <param name="MaxBytes">Most body bytes relayed to the client.</param>
/// <param name="IsEventStream">True for <c>text/event-stream</c>: breaches end the stream with an SSE error event.</param>
/// <param name="Idle">Longest wait for the next bytes (streams only; <see cref="Timeout.InfiniteTimeSpan"/> for none).</param>
/// <param name="Deadline">Moment by which the body must be complete, on the proxy's monotonic clock (<see cref="Environment.TickCount64"/> ms).</param>
public sealed record RelayLimits(long MaxBytes, bool IsEventStream, TimeSpan Idle, long Deadline);
