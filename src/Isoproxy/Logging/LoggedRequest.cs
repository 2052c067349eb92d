using Isoproxy.Errors;
using Isoproxy.Limits;
using Isoproxy.Operations;
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

    /// <summary>The metrics' <c>route</c> label (a closed set), once the route is decided.</summary>
    public string Route { get; set; } = MetricRoute.Other;
    public Outcome Outcome { get; set; } = Outcome.ClientAborted;
    public BoundedRequestBodyStream? RequestBody { get; set; }

    /// <summary>Body bytes relayed from the upstream; null when the proxy answered itself.</summary>
    public long? ResponseBytes { get; set; }

    /// <summary>Milliseconds from accepting the request to the upstream's response headers.</summary>
    public long? TimeToHeadersMs { get; set; }

    /// <summary>The upstream's <c>request-id</c> header.</summary>
    public string? UpstreamRequestId { get; set; }

    public IReadOnlyList<KeyValuePair<string, IEnumerable<string>>>? UpstreamResponseHeaders { get; set; }

    public RequestLogEntry ToEntry(HttpContext context, long durationMs, bool includeHeaders)
    {
        var responseBytes = ResponseBytes ?? context.Response.ContentLength ?? 0;
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
            TimeToHeadersMs,
            durationMs,
            UpstreamRequestId,
            OutcomeCatalog.Describe(Outcome).Reason,
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
