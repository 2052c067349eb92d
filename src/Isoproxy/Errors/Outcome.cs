namespace Isoproxy.Errors;

/// <summary>
/// How one request ended, in the proxy's single vocabulary: relayed, the client gone, refused by
/// the proxy, failed at the upstream, or cut by a bound. Each value has exactly one row in
/// <see cref="OutcomeCatalog"/>: the status the client sees, the error type, the
/// <c>x-isoproxy-error</c> reason (which is also the request log's <c>outcome</c>), whether a
/// retry can help, and the message.
/// </summary>
public enum Outcome
{
    /// <summary>The upstream's response was relayed whole (or the proxy answered <c>/health</c>).</summary>
    Ok,

    /// <summary>The client went away before the response was complete; nobody is left to tell.</summary>
    ClientAborted,

    /// <summary>The request target is not an allowlisted route.</summary>
    RouteNotFound,

    /// <summary>A known route with the wrong method.</summary>
    MethodNotAllowed,

    /// <summary>The client's request body is over <c>max_request_bytes</c>.</summary>
    RequestTooLarge,

    /// <summary>The client's request body could not be read (malformed framing, client went away).</summary>
    ClientRequestFailed,

    /// <summary>The query or a header value holds bytes the proxy does not forward (controls, non-ASCII, characters a query may not hold).</summary>
    MalformedRequest,

    /// <summary>More requests are in flight than <c>max_concurrent_requests</c>.</summary>
    ConcurrencyLimit,

    /// <summary>Client tokens are configured and the request presented none, or a wrong one.</summary>
    ClientUnauthenticated,

    /// <summary>The authenticated client may not use the requested provider.</summary>
    ProviderNotAllowedForClient,

    /// <summary>The Unix-socket peer's uid/gid is not allowed.</summary>
    PeerNotAllowed,

    /// <summary>The upstream host name did not resolve.</summary>
    UpstreamDnsFailed,

    /// <summary>The upstream resolved only to addresses the proxy may not dial.</summary>
    UpstreamAddressNotAllowed,

    /// <summary>TCP connect to the upstream was refused or unreachable.</summary>
    UpstreamConnectFailed,

    /// <summary>TCP connect plus TLS handshake took longer than <c>connect_timeout_seconds</c>.</summary>
    UpstreamConnectTimeout,

    /// <summary>The upstream's TLS certificate or handshake failed verification.</summary>
    UpstreamTlsFailed,

    /// <summary>The upstream closed or reset the connection before a complete response.</summary>
    UpstreamReset,

    /// <summary>No response headers within <c>timeout_seconds</c>, or a non-streaming body not complete within it.</summary>
    UpstreamTimeout,

    /// <summary>The upstream's body, declared or relayed, is over <c>max_response_bytes</c>.</summary>
    ResponseTooLarge,

    /// <summary>A stream was silent longer than <c>stream_idle_seconds</c>.</summary>
    StreamIdleTimeout,

    /// <summary>A stream ran longer than <c>stream_max_seconds</c>.</summary>
    StreamMaxDuration,

    /// <summary>The proxy is shutting down: no new requests, and the grace period for running ones ended.</summary>
    ShuttingDown,

    /// <summary>A fault inside the proxy itself.</summary>
    Internal,
}
