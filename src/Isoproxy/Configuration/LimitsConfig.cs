namespace Isoproxy.Configuration;

/// <summary>Resource bounds. Every value is positive; defaults and their reasons are in <see cref="Defaults"/>.</summary>
/// <param name="MaxRequestBytes">Largest request body accepted from a client.</param>
/// <param name="MaxResponseBytes">Largest response body relayed to a client.</param>
/// <param name="Timeout">Wait for the upstream's response headers; for a non-streaming reply also its whole body.</param>
/// <param name="ConnectTimeout">TCP connect plus TLS handshake to the upstream.</param>
/// <param name="StreamIdle">Longest silence between two reads of a streamed (SSE) response body.</param>
/// <param name="StreamMax">Longest total duration of one streamed (SSE) response.</param>
/// <param name="MaxConcurrentRequests">Requests in flight at once; the next is refused at once.</param>
/// <param name="ShutdownGrace">On SIGTERM/SIGINT, how long in-flight requests may go on before streams are ended.</param>
/// <param name="ClientHeaderTimeout">How long a client may take to send its request line and headers.</param>
/// <param name="ClientKeepAlive">How long an idle client connection is kept open for the next request.</param>
/// <param name="ClientMinBodyBytesPerSecond">Slowest request body a client may send, after a 5 s grace period.</param>
/// <param name="MaxRequestHeaderBytes">Largest total size of a request's headers.</param>
/// <param name="MaxRequestHeaders">Most header fields in one request.</param>
public sealed record LimitsConfig(
    long MaxRequestBytes,
    long MaxResponseBytes,
    TimeSpan Timeout,
    TimeSpan ConnectTimeout,
    TimeSpan StreamIdle,
    TimeSpan StreamMax,
    int MaxConcurrentRequests,
    TimeSpan ShutdownGrace,
    TimeSpan ClientHeaderTimeout,
    TimeSpan ClientKeepAlive,
    int ClientMinBodyBytesPerSecond,
    int MaxRequestHeaderBytes,
    int MaxRequestHeaders)
{
    /// <summary>The value used for every key that the configuration leaves unset.</summary>
    public static LimitsConfig Defaults { get; } = new(
        // Claude Code bodies are 5–50 KB; images and PDFs make them larger, and 5 MB still bounds memory.
        MaxRequestBytes: 5L * 1024 * 1024,
        // The longest replies (64k tokens plus thinking) stay well under it. Applies to every reply, streamed or not.
        MaxResponseBytes: 20L * 1024 * 1024,
        // For a streamed reply the headers come within seconds; a
        // non-streaming reply must complete within it (raise it for long non-streaming calls:
        // Claude Code waits 300 s for those).
        Timeout: TimeSpan.FromSeconds(120),
        // A TCP connect plus TLS handshake to a healthy API takes well under a second.
        ConnectTimeout: TimeSpan.FromSeconds(10),
        // Upstreams send ping events during long pauses (e.g. extended thinking); three minutes
        // of silence means a stuck stream.
        StreamIdle: TimeSpan.FromSeconds(180),
        // A 64k-token answer takes ~15 minutes at 70 tokens/s and ~55 at a slow provider's
        // 20 tokens/s; an hour bounds a stuck stream without cutting a legitimate one.
        StreamMax: TimeSpan.FromSeconds(3600),
        // Claude Code bursts ~25 parallel count_tokens requests; sub-agents add streams.
        MaxConcurrentRequests: 64,
        // Below systemd's default 90 s stop timeout, so the proxy ends its streams itself.
        ShutdownGrace: TimeSpan.FromSeconds(30),
        // A local client sends its headers at once; a slow-loris one is dropped after this.
        ClientHeaderTimeout: TimeSpan.FromSeconds(10),
        // Longer than any client keeps an idle connection (Node's agent 5 s, undici 4 s, .NET 60 s),
        // so the client, not the proxy, closes it: a proxy closing just as the client reuses the
        // connection would fail that request.
        ClientKeepAlive: TimeSpan.FromSeconds(130),
        // Kestrel's own default: a local client sends far faster; a trickling one is dropped.
        ClientMinBodyBytesPerSecond: 240,
        // Claude Code's headers (many anthropic-beta flags, x-stainless-*) take 2-3 KB.
        MaxRequestHeaderBytes: 32 * 1024,
        // Claude Code sends about 25 header fields.
        MaxRequestHeaders: 100);
}
