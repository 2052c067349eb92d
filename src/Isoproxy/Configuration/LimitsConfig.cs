namespace Isoproxy.Configuration;

/// <summary>Resource bounds. Every value is positive; each key's default and its reason are in <see cref="LimitsFields"/>.</summary>
public sealed record LimitsConfig
{
    /// <summary>Largest request body accepted from a client. (<c>max_request_bytes</c>)</summary>
    public long MaxRequestBytes { get; init; }

    /// <summary>Largest response body relayed to a client. (<c>max_response_bytes</c>)</summary>
    public long MaxResponseBytes { get; init; }

    /// <summary>Wait for the upstream's response headers; for a non-streaming reply also its whole body. (<c>timeout_seconds</c>)</summary>
    public TimeSpan Timeout { get; init; }

    /// <summary>TCP connect plus TLS handshake to the upstream. (<c>connect_timeout_seconds</c>)</summary>
    public TimeSpan ConnectTimeout { get; init; }

    /// <summary>Longest silence between two reads of a streamed (SSE) response body. (<c>stream_idle_seconds</c>)</summary>
    public TimeSpan StreamIdle { get; init; }

    /// <summary>Longest total duration of one streamed (SSE) response. (<c>stream_max_seconds</c>)</summary>
    public TimeSpan StreamMax { get; init; }

    /// <summary>Requests in flight at once; the next is refused at once. (<c>max_concurrent_requests</c>)</summary>
    public int MaxConcurrentRequests { get; init; }

    /// <summary>On SIGTERM/SIGINT, how long in-flight requests may go on before streams are ended. (<c>shutdown_grace_seconds</c>)</summary>
    public TimeSpan ShutdownGrace { get; init; }

    /// <summary>How long a client may take to send its request line and headers. (<c>client_header_timeout_seconds</c>)</summary>
    public TimeSpan ClientHeaderTimeout { get; init; }

    /// <summary>How long an idle client connection is kept open for the next request. (<c>client_keepalive_seconds</c>)</summary>
    public TimeSpan ClientKeepAlive { get; init; }

    /// <summary>Slowest request body a client may send, after a 5 s grace period. (<c>client_min_body_bytes_per_second</c>)</summary>
    public int ClientMinBodyBytesPerSecond { get; init; }

    /// <summary>Largest total size of a request's headers. (<c>max_request_header_bytes</c>)</summary>
    public int MaxRequestHeaderBytes { get; init; }

    /// <summary>Most header fields in one request. (<c>max_request_headers</c>)</summary>
    public int MaxRequestHeaders { get; init; }

    /// <summary>Client connections open at once, across all listeners; the next is closed at accept. (<c>max_connections</c>)</summary>
    public int MaxConnections { get; init; }

    /// <summary>The value used for every key that the configuration leaves unset.</summary>
    public static LimitsConfig Defaults { get; } = LimitsFields.All.Aggregate(new LimitsConfig(), (limits, field) => field.WithDefault(limits));

    /// <summary>Only through <see cref="Defaults"/> and <c>with</c>: every value starts from its default.</summary>
    private LimitsConfig()
    {
    }
}
