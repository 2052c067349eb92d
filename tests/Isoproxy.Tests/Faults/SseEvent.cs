namespace Isoproxy.Tests.Faults;

/// <summary>One parsed server-sent event: its <c>event:</c> name (null when absent) and joined <c>data:</c> lines.</summary>
public sealed record SseEvent(string? Name, string Data);
