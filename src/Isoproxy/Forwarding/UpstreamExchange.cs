using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Routing;

namespace Isoproxy.Forwarding;

/// <summary>
/// One forwarded request's dealings with its upstream: the wait for the response headers, the
/// facts of the response head, and the relay of the body. <see cref="PassThroughTransformer"/>
/// fills it in as the response arrives; the request handler reads it once the forwarder is done.
/// </summary>
public sealed class UpstreamExchange : IDisposable
{
    private readonly LimitsConfig _limits;
    private readonly long _startedAt;
    private readonly bool _captureHeaders;
    private readonly CancellationToken _shutdownGraceExpired;
    private readonly CancellationTokenSource _headersDeadline;
    private readonly CancellationTokenRegistration _endWaitOnShutdown;
    private bool _headersReceived;

    /// <param name="startedAt">When the request was accepted (<see cref="Environment.TickCount64"/> ms).</param>
    /// <param name="captureHeaders">Keep the upstream's response headers for the debug log.</param>
    public UpstreamExchange(ProviderConfig provider, RouteDecision route, LimitsConfig limits, long startedAt, CancellationToken shutdownGraceExpired, bool captureHeaders)
    {
        Provider = provider;
        ApiPath = route.ApiPath;
        Query = route.Query;
        _limits = limits;
        _startedAt = startedAt;
        _captureHeaders = captureHeaders;
        _shutdownGraceExpired = shutdownGraceExpired;

        // timeout_seconds, first part: the upstream's response headers. The end of the shutdown
        // grace also ends a wait for headers that is still going on.
        _headersDeadline = new CancellationTokenSource(limits.Timeout);
        _endWaitOnShutdown = shutdownGraceExpired.Register(() =>
        {
            if (!Volatile.Read(ref _headersReceived))
            {
                _headersDeadline.Cancel();
            }
        });
    }

    public ProviderConfig Provider { get; }
    public string ApiPath { get; }
    public string Query { get; }

    /// <summary>Cancelled when the wait for the response headers has lasted too long.</summary>
    public CancellationToken HeadersDeadline => _headersDeadline.Token;

    /// <summary>The upstream's <c>request-id</c> header, once its headers arrived.</summary>
    public string? UpstreamRequestId { get; private set; }

    /// <summary>Milliseconds from accepting the request to the upstream's response headers.</summary>
    public long? TimeToHeadersMs { get; private set; }

    /// <summary>The upstream's response headers, kept only for the debug log.</summary>
    public IReadOnlyList<KeyValuePair<string, IEnumerable<string>>>? UpstreamResponseHeaders { get; private set; }

    /// <summary>The body's relay, once the body started.</summary>
    public ResponseRelayStream? Relay { get; private set; }

    private bool DeclaredTooLarge { get; set; }

    /// <summary>
    /// What one of the proxy's own bounds decided, if one did: a declared body too large, a
    /// bound the relay enforced, or the wait for headers cut by <c>timeout_seconds</c> or by
    /// the end of the shutdown grace.
    /// </summary>
    public Outcome? Bound =>
        DeclaredTooLarge ? Outcome.ResponseTooLarge
        : Relay?.Ended is Outcome ended && ended != Outcome.Ok ? ended
        : Volatile.Read(ref _headersReceived) ? null
        : _shutdownGraceExpired.IsCancellationRequested ? Outcome.ShuttingDown
        : _headersDeadline.IsCancellationRequested ? Outcome.UpstreamTimeout
        : null;

    /// <summary>Records the response head; false when the response is refused before anything of it is relayed.</summary>
    public bool AcceptResponseHead(HttpResponseMessage response)
    {
        Volatile.Write(ref _headersReceived, true);
        _headersDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
        TimeToHeadersMs = Environment.TickCount64 - _startedAt;
        if (response.Headers.TryGetValues("request-id", out var ids))
        {
            UpstreamRequestId = ids.FirstOrDefault();
        }
        if (_captureHeaders)
        {
            UpstreamResponseHeaders = [.. response.Headers, .. response.Content.Headers];
        }

        DeclaredTooLarge = response.Content.Headers.ContentLength > _limits.MaxResponseBytes;
        return !DeclaredTooLarge;
    }

    /// <summary>The relay the body is read through, bounded by the limits in force.</summary>
    public ResponseRelayStream StartRelay(Stream upstreamBody, bool isEventStream)
    {
        Relay = new ResponseRelayStream(upstreamBody, RelayLimits.For(_limits, isEventStream, _startedAt), _shutdownGraceExpired);
        return Relay;
    }

    public void Dispose()
    {
        _endWaitOnShutdown.Dispose();
        _headersDeadline.Dispose();
    }
}
