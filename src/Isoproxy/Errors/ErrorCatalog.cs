using System.Diagnostics;

namespace Isoproxy.Errors;

/// <summary>Every status the proxy can emit on its own, in one place.</summary>
public static class ErrorCatalog
{
    /// <summary>The header that tells a proxy-made error apart from a relayed upstream error.</summary>
    public const string ReasonHeader = "x-isoproxy-error";

    public static ErrorDescription Describe(ProxyFailure failure) => failure switch
    {
        ProxyFailure.RouteNotFound => new(404, "not_found_error", "route_not_found", RetryCannotHelp: true),
        ProxyFailure.MethodNotAllowed => new(405, "invalid_request_error", "method_not_allowed", RetryCannotHelp: true),
        ProxyFailure.RequestTooLarge => new(413, "request_too_large", "request_too_large", RetryCannotHelp: true),
        ProxyFailure.ClientRequestFailed => new(400, "invalid_request_error", "client_request_failed", RetryCannotHelp: true),
        ProxyFailure.MalformedRequest => new(400, "invalid_request_error", "malformed_request", RetryCannotHelp: true),
        // 429 with retry-after: Claude Code and the SDKs back off and retry on their own.
        ProxyFailure.ConcurrencyLimit => new(429, "rate_limit_error", "concurrency_limit", RetryCannotHelp: false, RetryAfterSeconds: 1),
        ProxyFailure.ClientUnauthenticated => new(401, "authentication_error", "client_unauthenticated", RetryCannotHelp: true),
        ProxyFailure.ProviderNotAllowedForClient => new(403, "permission_error", "provider_not_allowed", RetryCannotHelp: true),
        ProxyFailure.PeerNotAllowed => new(403, "permission_error", "peer_not_allowed", RetryCannotHelp: true),
        ProxyFailure.UpstreamDnsFailed => new(502, "api_error", "upstream_dns_failed", RetryCannotHelp: false),
        ProxyFailure.UpstreamAddressNotAllowed => new(502, "api_error", "upstream_address_not_allowed", RetryCannotHelp: true),
        ProxyFailure.UpstreamConnectFailed => new(502, "api_error", "upstream_connect_failed", RetryCannotHelp: false),
        ProxyFailure.UpstreamConnectTimeout => new(504, "api_error", "upstream_connect_timeout", RetryCannotHelp: false),
        ProxyFailure.UpstreamTlsFailed => new(502, "api_error", "upstream_tls_failed", RetryCannotHelp: true),
        ProxyFailure.UpstreamReset => new(502, "api_error", "upstream_reset", RetryCannotHelp: false),
        ProxyFailure.UpstreamTimeout => new(504, "api_error", "upstream_timeout", RetryCannotHelp: false),
        ProxyFailure.ResponseTooLarge => new(502, "api_error", "response_too_large", RetryCannotHelp: true),
        ProxyFailure.ShuttingDown => new(503, "api_error", "shutting_down", RetryCannotHelp: false),
        ProxyFailure.Internal => new(500, "api_error", "internal_error", RetryCannotHelp: false),
        _ => throw new UnreachableException($"unmapped failure {failure}"),
    };
}
