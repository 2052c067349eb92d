namespace Isoproxy.Errors;

/// <summary>
/// Every answer the proxy makes itself, rather than relaying the upstream's. Each value names
/// who failed; <see cref="ErrorCatalog.Describe"/> maps it to status, type and reason.
/// </summary>
public enum ProxyFailure
{
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

    /// <summary>The upstream closed or reset the connection before a complete response head.</summary>
    UpstreamReset,

    /// <summary>No response headers within <c>timeout_seconds</c> (or a non-streaming body not complete within it).</summary>
    UpstreamTimeout,

    /// <summary>The upstream declared a body larger than <c>max_response_bytes</c>.</summary>
    ResponseTooLarge,

    /// <summary>The proxy is shutting down and takes no new requests.</summary>
    ShuttingDown,

    /// <summary>A fault inside the proxy itself.</summary>
    Internal,
}
