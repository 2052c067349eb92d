using System.Diagnostics;
using System.Globalization;
using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Forwarding;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Cli;

/// <summary>
/// Checks one provider the way a request would reach it — address policy, connect, TLS with the
/// configured trust, the configured key — with <c>GET /v1/models?limit=1</c>, which is not billed.
/// The answer names the failure in the words of <c>x-isoproxy-error</c>; it never contains the key.
/// </summary>
public static class ProviderProbe
{
    /// <summary>The API version the probe request names; the models route exists in it.</summary>
    private const string AnthropicVersion = "2023-06-01";

    public static async Task<ProbeResult> RunAsync(ProviderConfig provider, LimitsConfig limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(limits);
        using var client = UpstreamClientFactory.Create(provider, limits);
        using var request = new HttpRequestMessage(HttpMethod.Get, UpstreamUrl.Build(provider.Endpoint, "/v1/models", "?limit=1"))
        {
            Version = provider.HttpVersion,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.TryAddWithoutValidation("anthropic-version", AnthropicVersion);
        CredentialInjector.Inject(request, provider);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limits.Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, deadline.Token);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => new ProbeResult(true, $"ok ({elapsed.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms)"),
                401 or 403 => new ProbeResult(false, $"key rejected ({status.ToString(CultureInfo.InvariantCulture)})"),
                _ => new ProbeResult(false, $"upstream answered {status.ToString(CultureInfo.InvariantCulture)}"),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or TimeoutException
            && !cancellationToken.IsCancellationRequested)
        {
            // No answer within timeout_seconds is what a request would be told as upstream_timeout.
            Outcome? bound = ex is OperationCanceledException && deadline.IsCancellationRequested ? Outcome.UpstreamTimeout : null;
            var outcome = OutcomeClassifier.Classify(ForwarderError.Request, ex, bound, clientAborted: false);
            return new ProbeResult(false, OutcomeCatalog.Describe(outcome).Reason);
        }
    }
}
