using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Logging;
using Isoproxy.Operations;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.Forwarding;

/// <summary>
/// Turns a finished request's log entry into its metrics and, for the refusals an operator
/// audits, its security event. Reads only the entry (metadata the log line already holds), the
/// configuration and the connection's peer credentials — never a header value or body.
/// </summary>
public sealed class RequestReporter(ProxyMetrics metrics, SecurityEventWriter events)
{
    public ProxyMetrics Metrics => metrics;

    public void Report(RequestLogEntry entry, Outcome outcome, string route, HttpContext context, ProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(config);
        var provider = entry.Provider ?? ProxyMetrics.NoProvider;
        // The client label exists only where clients are configured; its values are their names.
        var client = config.Clients.IsEmpty ? null : entry.Client ?? ProxyMetrics.NoClient;
        metrics.RequestFinished(new RequestMeasurement(
            provider,
            route,
            entry.Status,
            entry.Outcome,
            client,
            TimeSpan.FromMilliseconds(entry.DurationMs),
            entry.TimeToFirstByteMs is long headersMs ? TimeSpan.FromMilliseconds(headersMs) : null,
            entry.RequestBytes,
            entry.ResponseBytes));

        switch (outcome)
        {
            case Outcome.ClientUnauthenticated or Outcome.ProviderNotAllowedForClient:
                events.ClientRefused(entry.RequestId, entry.Status, entry.Outcome, entry.Client, entry.Provider);
                break;
            case Outcome.UpstreamAddressNotAllowed:
                events.UpstreamAddressRefused(entry.RequestId, provider, config.FindProvider(provider)?.Endpoint.Host ?? "");
                break;
            default:
                break;
        }
    }
}
