using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>
/// The <c>limits:</c> section as a table: one row per key with its kind, its default and the reason
/// for that default. The parser, the effective configuration and the documentation's table all
/// come from these rows.
/// </summary>
internal static class LimitsFields
{
    public static ImmutableArray<IConfigField<LimitsConfig>> All { get; } =
    [
        new ConfigField<LimitsConfig, long>("max_request_bytes", FieldKinds.Size, 5L * 1024 * 1024,
            c => c.MaxRequestBytes, (c, v) => c with { MaxRequestBytes = v },
            "Largest request body accepted from a client. Claude Code bodies are 5–50 KB; images and PDFs make them larger."),
        new ConfigField<LimitsConfig, long>("max_response_bytes", FieldKinds.Size, 20L * 1024 * 1024,
            c => c.MaxResponseBytes, (c, v) => c with { MaxResponseBytes = v },
            "Largest response body relayed to a client, streamed or not. The longest replies stay well under it."),
        new ConfigField<LimitsConfig, TimeSpan>("timeout_seconds", FieldKinds.Seconds, TimeSpan.FromSeconds(120),
            c => c.Timeout, (c, v) => c with { Timeout = v },
            "How long to wait for the upstream's response headers, and for a non-streaming reply also its whole body. See below."),
        new ConfigField<LimitsConfig, TimeSpan>("connect_timeout_seconds", FieldKinds.Seconds, TimeSpan.FromSeconds(10),
            c => c.ConnectTimeout, (c, v) => c with { ConnectTimeout = v },
            "TCP connect plus TLS handshake to the upstream. A healthy API takes well under a second."),
        new ConfigField<LimitsConfig, TimeSpan>("stream_idle_seconds", FieldKinds.Seconds, TimeSpan.FromSeconds(180),
            c => c.StreamIdle, (c, v) => c with { StreamIdle = v },
            "Longest silence between two bytes of a streamed (SSE) response. Upstreams send `ping` events during long pauses such as extended thinking, so three minutes of silence means a stuck stream."),
        new ConfigField<LimitsConfig, TimeSpan>("stream_max_seconds", FieldKinds.Seconds, TimeSpan.FromSeconds(3600),
            c => c.StreamMax, (c, v) => c with { StreamMax = v },
            "Longest total duration of one streamed response. A 64k-token answer takes about 15 minutes at 70 tokens/s and 55 at 20 tokens/s; an hour bounds a stuck stream without cutting a legitimate one."),
        new ConfigField<LimitsConfig, int>("max_concurrent_requests", FieldKinds.PositiveInteger, 64,
            c => c.MaxConcurrentRequests, (c, v) => c with { MaxConcurrentRequests = v },
            "Requests in flight at once; beyond it a request is refused at once with `429`, not queued. Claude Code bursts about 25 parallel `count_tokens` requests, and sub-agents add streams."),
        new ConfigField<LimitsConfig, TimeSpan>("shutdown_grace_seconds", FieldKinds.Seconds, TimeSpan.FromSeconds(30),
            c => c.ShutdownGrace, (c, v) => c with { ShutdownGrace = v },
            "On SIGTERM/SIGINT, how long in-flight requests may go on before remaining streams are ended. Below systemd's default 90 s stop timeout, so the proxy ends its streams itself."),
        new ConfigField<LimitsConfig, TimeSpan>("client_header_timeout_seconds", FieldKinds.Seconds, TimeSpan.FromSeconds(10),
            c => c.ClientHeaderTimeout, (c, v) => c with { ClientHeaderTimeout = v },
            "How long a client may take to send its request line and headers. A local client sends them at once; a slow-loris client that trickles them is disconnected."),
        new ConfigField<LimitsConfig, TimeSpan>("client_keepalive_seconds", FieldKinds.Seconds, TimeSpan.FromSeconds(130),
            c => c.ClientKeepAlive, (c, v) => c with { ClientKeepAlive = v },
            "How long an idle client connection stays open for its next request. Longer than any client keeps an idle connection itself (Node's HTTP agent 5 s, undici 4 s, .NET 60 s), so the client is always the side that closes: a proxy closing just as the client reuses the connection would fail that request."),
        new ConfigField<LimitsConfig, int>("client_min_body_bytes_per_second", FieldKinds.PositiveInteger, 240,
            c => c.ClientMinBodyBytesPerSecond, (c, v) => c with { ClientMinBodyBytesPerSecond = v },
            "Slowest request body a client may send, measured after a fixed 5 s grace period; a client sending slower is disconnected. A local client sends far faster."),
        new ConfigField<LimitsConfig, int>("max_request_header_bytes", FieldKinds.IntSize, 32 * 1024,
            c => c.MaxRequestHeaderBytes, (c, v) => c with { MaxRequestHeaderBytes = v },
            "Largest total size of a request's headers; larger is answered `431`. Claude Code's headers (many `anthropic-beta` flags, `x-stainless-*`) take 2–3 KB."),
        new ConfigField<LimitsConfig, int>("max_request_headers", FieldKinds.PositiveInteger, 100,
            c => c.MaxRequestHeaders, (c, v) => c with { MaxRequestHeaders = v },
            "Most header fields in one request; more is answered `431`. Claude Code sends about 25."),
        new ConfigField<LimitsConfig, int>("max_connections", FieldKinds.PositiveInteger, 1024,
            c => c.MaxConnections, (c, v) => c with { MaxConnections = v },
            "Client connections open at once, over all listeners. One more is closed as soon as it is accepted, before anything is read from it. Each connection holds a file descriptor, and each request in flight one more for its upstream connection; without a bound, a local process opening thousands of idle connections would use up the descriptors and stop `/health` and forwarding. 1024 is far more than any set of local clients opens (Claude Code keeps a handful)."),
    ];
}
