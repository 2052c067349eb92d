namespace Isoproxy.Logging;

/// <summary>The one line written per request: metadata only, never a body or credential.</summary>
public sealed record RequestLogEntry(
    DateTimeOffset Time,
    string RequestId,
    string? Client,
    string? Provider,
    string Method,
    string Path,
    int Status,
    long RequestBytes,
    long ResponseBytes,
    long? TimeToFirstByteMs,
    long DurationMs,
    string? UpstreamRequestId,
    string Outcome,
    IReadOnlyList<KeyValuePair<string, string>>? RequestHeaders = null,
    IReadOnlyList<KeyValuePair<string, string>>? ResponseHeaders = null,
    RequestAttribution? Attribution = null);
