using Isoproxy.Forwarding;
using Isoproxy.Limits;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.Logging;

/// <summary>What the request handler learns about one request as it goes, turned into its log line at the end.</summary>
public sealed class LoggedRequest(string requestId, string method, string rawTarget)
{
    /// <summary>Longest path written to the log; a hostile client may send anything.</summary>
    private const int MaxLoggedPathLength = 256;

    public long StartedAt { get; } = Environment.TickCount64;
    public DateTimeOffset StartedTime { get; } = DateTimeOffset.UtcNow;
    public string RequestId => requestId;
    public string? Client { get; set; }
    public string? Provider { get; set; }
    public string Outcome { get; set; } = "client_aborted";
    public BoundedRequestBodyStream? RequestBody { get; set; }
    public ForwardingState? State { get; set; }
    public IReadOnlyList<KeyValuePair<string, IEnumerable<string>>>? UpstreamResponseHeaders { get; set; }

    public RequestLogEntry ToEntry(HttpContext context, long durationMs, bool includeHeaders)
    {
        var responseBytes = State?.Relay?.RelayedBytes ?? context.Response.ContentLength ?? 0;
        return new RequestLogEntry(
            StartedTime,
            requestId,
            Client,
            Provider,
            method,
            LoggablePath(rawTarget),
            context.Response.StatusCode,
            RequestBody?.BytesRead ?? 0,
            responseBytes,
            State?.TimeToHeadersMs,
            durationMs,
            State?.UpstreamRequestId,
            Outcome,
            includeHeaders ? Flatten(context.Request.Headers) : null,
            includeHeaders && UpstreamResponseHeaders is not null ? Flatten(UpstreamResponseHeaders) : null,
            RequestAttribution.From(context.Request.Headers));
    }

    /// <summary>The path only: a query may carry anything, so it is never logged.</summary>
    private static string LoggablePath(string rawTarget)
    {
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        return path.Length <= MaxLoggedPathLength ? path : path[..MaxLoggedPathLength] + "…";
    }

    private static List<KeyValuePair<string, string>> Flatten(IHeaderDictionary headers) =>
        [.. headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()))];

    private static List<KeyValuePair<string, string>> Flatten(IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers) =>
        [.. headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value)))];
}
