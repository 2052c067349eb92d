using System.Diagnostics.Metrics;
using System.Globalization;

namespace Isoproxy.Operations;

/// <summary>
/// The proxy's own instruments (<see cref="System.Diagnostics.Metrics"/>), exported on the admin
/// listener's <c>/metrics</c> by the OpenTelemetry Prometheus exporter. Instrument names are the
/// exported names. Label values come only from configuration and closed sets, so the number of
/// series is bounded whatever clients send.
/// </summary>
public sealed class ProxyMetrics : IDisposable
{
    /// <summary>The <c>provider</c> label when no provider was resolved (a refused route, <c>/health</c>).</summary>
    public const string NoProvider = "none";

    /// <summary>The <c>client</c> label when clients are configured but the request named none (a refused token).</summary>
    public const string NoClient = "none";

    private static readonly double[] DurationBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];

    private static readonly double[] HeadersBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static int _instances;

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _upstreamHeaders;
    private readonly UpDownCounter<long> _inFlight;
    private readonly Counter<long> _requestBodyBytes;
    private readonly Counter<long> _responseBodyBytes;
    private long _reloadsOk;
    private long _reloadsFailed;
    private long _configLoadedUnixMilliseconds;
    private Func<long>? _openConnections;
    private Func<IEnumerable<KeyValuePair<string, long>>>? _refusedConnections;

    public ProxyMetrics(string version)
    {
        // One meter per proxy instance, so that two proxies in one process (tests) never count into
        // each other's /metrics; the exporter does not show the meter's name.
        MeterName = $"isoproxy.{Interlocked.Increment(ref _instances).ToString(CultureInfo.InvariantCulture)}";
        _meter = new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("isoproxy_requests_total", description: "Requests answered, by provider, route, status and outcome.");
        _duration = _meter.CreateHistogram<double>("isoproxy_request_duration_seconds", unit: null,
            description: "Accepting a request to its last response byte.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _upstreamHeaders = _meter.CreateHistogram<double>("isoproxy_upstream_headers_seconds", unit: null,
            description: "Accepting a request to the upstream's response headers.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HeadersBuckets });
        _inFlight = _meter.CreateUpDownCounter<long>("isoproxy_requests_in_flight", description: "Requests being forwarded now.");
        _requestBodyBytes = _meter.CreateCounter<long>("isoproxy_request_body_bytes_total", description: "Request body bytes read from clients.");
        _responseBodyBytes = _meter.CreateCounter<long>("isoproxy_response_body_bytes_total", description: "Response body bytes sent to clients.");
        // Observed rather than added to, so that both results show from the start: a dashboard sees zero, not nothing.
        _meter.CreateObservableCounter("isoproxy_config_reloads_total", ObserveConfigReloads,
            description: "Configuration reloads, by result (ok, error).");
        _meter.CreateObservableGauge("isoproxy_config_loaded_timestamp_seconds",
            () => Volatile.Read(ref _configLoadedUnixMilliseconds) / 1000.0,
            description: "When the configuration in use was loaded (Unix time).");
        _meter.CreateObservableGauge("isoproxy_build_info",
            () => new Measurement<long>(1, new KeyValuePair<string, object?>("version", version)),
            description: "Always 1; the version label names the running build.");
        _meter.CreateObservableUpDownCounter("isoproxy_connections_open", ObserveOpenConnections,
            description: "Client connections open now (where the connection limit exists).");
        _meter.CreateObservableCounter("isoproxy_connections_refused_total", ObserveRefusedConnections,
            description: "Client connections refused, by reason (where the connection limit exists).");
        ConfigLoaded(DateTimeOffset.UtcNow);
    }

    /// <summary>The meter the exporter listens to.</summary>
    public string MeterName { get; }

    /// <summary>
    /// Hook for the connection limit: feeds <c>isoproxy_connections_open</c> and
    /// <c>isoproxy_connections_refused_total{reason}</c> from its own counters, read at each scrape.
    /// Until it is called, neither series is exported.
    /// </summary>
    public void ObserveConnections(Func<long> open, Func<IEnumerable<KeyValuePair<string, long>>> refusedByReason)
    {
        Volatile.Write(ref _openConnections, open);
        Volatile.Write(ref _refusedConnections, refusedByReason);
    }

    public void RequestStarted(string provider) => _inFlight.Add(1, new KeyValuePair<string, object?>("provider", provider));

    public void RequestEnded(string provider) => _inFlight.Add(-1, new KeyValuePair<string, object?>("provider", provider));

    public void RequestFinished(RequestMeasurement request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var provider = new KeyValuePair<string, object?>("provider", request.Provider);
        var route = new KeyValuePair<string, object?>("route", request.Route);
        var outcome = new KeyValuePair<string, object?>("outcome", request.Outcome);
        var status = new KeyValuePair<string, object?>("status", request.Status.ToString(CultureInfo.InvariantCulture));
        if (request.Client is string client)
        {
            var clientTag = new KeyValuePair<string, object?>("client", client);
            _requests.Add(1, provider, route, status, outcome, clientTag);
            _duration.Record(request.Duration.TotalSeconds, provider, route, outcome, clientTag);
        }
        else
        {
            _requests.Add(1, provider, route, status, outcome);
            _duration.Record(request.Duration.TotalSeconds, provider, route, outcome);
        }
        if (request.UpstreamHeaders is TimeSpan headers)
        {
            _upstreamHeaders.Record(headers.TotalSeconds, provider, route);
        }
        if (request.RequestBytes > 0)
        {
            _requestBodyBytes.Add(request.RequestBytes, provider);
        }
        if (request.ResponseBytes > 0)
        {
            _responseBodyBytes.Add(request.ResponseBytes, provider);
        }
    }

    public void ConfigReloaded(bool succeeded) => Interlocked.Increment(ref succeeded ? ref _reloadsOk : ref _reloadsFailed);

    public void ConfigLoaded(DateTimeOffset time) => Volatile.Write(ref _configLoadedUnixMilliseconds, time.ToUnixTimeMilliseconds());

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObserveConfigReloads() =>
    [
        new(Interlocked.Read(ref _reloadsOk), new KeyValuePair<string, object?>("result", "ok")),
        new(Interlocked.Read(ref _reloadsFailed), new KeyValuePair<string, object?>("result", "error")),
    ];

    private IEnumerable<Measurement<long>> ObserveOpenConnections()
    {
        var open = Volatile.Read(ref _openConnections);
        return open is null ? [] : [new Measurement<long>(open())];
    }

    private IEnumerable<Measurement<long>> ObserveRefusedConnections()
    {
        var refused = Volatile.Read(ref _refusedConnections);
        return refused is null
            ? []
            : [.. refused().Select(r => new Measurement<long>(r.Value, new KeyValuePair<string, object?>("reason", r.Key)))];
    }
}
