namespace Isoproxy.Operations;

/// <summary>What the request metrics record of one finished request; every label value comes from configuration or a closed set.</summary>
/// <param name="Provider">The configured provider name, or <see cref="ProxyMetrics.NoProvider"/>.</param>
/// <param name="Route">A <see cref="MetricRoute"/> value.</param>
/// <param name="Status">The status sent to the client.</param>
/// <param name="Outcome">The request log's outcome.</param>
/// <param name="Client">The configured client name (or <see cref="ProxyMetrics.NoClient"/>) when <c>clients:</c> is configured; null otherwise, and then no <c>client</c> label.</param>
/// <param name="Duration">Accepting the request to its last byte.</param>
/// <param name="UpstreamHeaders">Accepting the request to the upstream's response headers, when they arrived.</param>
/// <param name="RequestBytes">Request body bytes read from the client.</param>
/// <param name="ResponseBytes">Response body bytes sent to the client.</param>
public sealed record RequestMeasurement(
    string Provider,
    string Route,
    int Status,
    string Outcome,
    string? Client,
    TimeSpan Duration,
    TimeSpan? UpstreamHeaders,
    long RequestBytes,
    long ResponseBytes);
