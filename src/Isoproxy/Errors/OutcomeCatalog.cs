using System.Collections.Frozen;
using System.Diagnostics;
using System.Globalization;

namespace Isoproxy.Errors;

/// <summary>Every outcome, one row each: the only place that decides what a client is told.</summary>
public static class OutcomeCatalog
{
    /// <summary>The header that tells a proxy-made error apart from a relayed upstream error.</summary>
    public const string ReasonHeader = "x-isoproxy-error";

    private static readonly FrozenDictionary<Outcome, OutcomeRow> Rows = new Dictionary<Outcome, OutcomeRow>
    {
        [Outcome.Ok] = new("ok", null, "", false, null, _ => ""),
        [Outcome.ClientAborted] = new("client_aborted", null, "", false, null, _ => "the client went away"),

        // Refused by the proxy before anything is sent upstream.
        [Outcome.RouteNotFound] = new("route_not_found", 404, "not_found_error", true, null, _ => "isoproxy: no such route"),
        [Outcome.MethodNotAllowed] = new("method_not_allowed", 405, "invalid_request_error", true, null, _ => "isoproxy: method not allowed"),
        [Outcome.RequestTooLarge] = new("request_too_large", 413, "request_too_large", true, null,
            l => Invariant($"isoproxy: request body exceeds max_request_bytes ({l.MaxRequestBytes} bytes)")),
        [Outcome.ClientRequestFailed] = new("client_request_failed", 400, "invalid_request_error", true, null, _ => "isoproxy: the request body could not be read"),
        [Outcome.MalformedRequest] = new("malformed_request", 400, "invalid_request_error", true, null, _ => "isoproxy: malformed request"),
        // 429 with retry-after: Claude Code and the SDKs back off and retry on their own.
        [Outcome.ConcurrencyLimit] = new("concurrency_limit", 429, "rate_limit_error", false, 1,
            l => Invariant($"isoproxy: more than max_concurrent_requests ({l.MaxConcurrentRequests}) requests in flight; retry shortly")),
        [Outcome.ClientUnauthenticated] = new("client_unauthenticated", 401, "authentication_error", true, null, _ => "isoproxy: client not authenticated"),
        [Outcome.ProviderNotAllowedForClient] = new("provider_not_allowed", 403, "permission_error", true, null, _ => "isoproxy: provider not allowed for this client"),
        [Outcome.PeerNotAllowed] = new("peer_not_allowed", 403, "permission_error", true, null, _ => "isoproxy: peer not allowed"),

        // The upstream connection.
        [Outcome.UpstreamDnsFailed] = new("upstream_dns_failed", 502, "api_error", false, null, _ => "isoproxy: the upstream host name did not resolve"),
        [Outcome.UpstreamAddressNotAllowed] = new("upstream_address_not_allowed", 502, "api_error", true, null,
            _ => "isoproxy: the upstream host resolved only to addresses the proxy may not connect to"),
        [Outcome.UpstreamConnectFailed] = new("upstream_connect_failed", 502, "api_error", false, null, _ => "isoproxy: could not connect to the upstream"),
        [Outcome.UpstreamConnectTimeout] = new("upstream_connect_timeout", 504, "api_error", false, null,
            l => Invariant($"isoproxy: could not connect to the upstream within connect_timeout_seconds ({l.ConnectTimeout.TotalSeconds:0.###} s)")),
        [Outcome.UpstreamTlsFailed] = new("upstream_tls_failed", 502, "api_error", true, null, _ => "isoproxy: the upstream's TLS certificate could not be verified"),
        [Outcome.UpstreamReset] = new("upstream_reset", 502, "api_error", false, null, _ => "isoproxy: the upstream closed the connection before a complete response"),

        // Bounds on the response. Once a stream has started these arrive as an SSE error event.
        [Outcome.UpstreamTimeout] = new("upstream_timeout", 504, "api_error", false, null,
            l => Invariant($"isoproxy: no complete upstream response within timeout_seconds ({l.Timeout.TotalSeconds:0.###} s)")),
        [Outcome.ResponseTooLarge] = new("response_too_large", 502, "api_error", true, null,
            l => Invariant($"isoproxy: upstream response exceeds max_response_bytes ({l.MaxResponseBytes} bytes)")),
        [Outcome.StreamIdleTimeout] = new("stream_idle_timeout", 504, "api_error", false, null,
            l => Invariant($"isoproxy: upstream stream was silent for more than stream_idle_seconds ({l.StreamIdle.TotalSeconds:0.###} s)")),
        [Outcome.StreamMaxDuration] = new("stream_max_duration", 504, "api_error", false, null,
            l => Invariant($"isoproxy: stream exceeded stream_max_seconds ({l.StreamMax.TotalSeconds:0.###} s)")),
        [Outcome.ShuttingDown] = new("shutting_down", 503, "api_error", false, null, _ => "isoproxy: the proxy is shutting down"),
        [Outcome.Internal] = new("internal_error", 500, "api_error", false, null, _ => "isoproxy: internal error"),
    }.ToFrozenDictionary();

    public static OutcomeRow Describe(Outcome outcome) =>
        Rows.TryGetValue(outcome, out var row) ? row : throw new UnreachableException($"outcome {outcome} has no catalog row");

    /// <summary>Every outcome with its row, for the documentation and the catalog's own tests.</summary>
    public static IEnumerable<KeyValuePair<Outcome, OutcomeRow>> All => Rows;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
