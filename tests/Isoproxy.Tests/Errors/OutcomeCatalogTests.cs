using Isoproxy.Configuration;
using Isoproxy.Errors;
using Xunit;

namespace Isoproxy.Tests.Errors;

/// <summary>The catalog is the only place that decides what a client is told: one row per outcome.</summary>
public sealed class OutcomeCatalogTests
{
    /// <summary>Outcome, status (0: the proxy writes nothing of its own), error type, reason, x-should-retry: false.</summary>
    public static TheoryData<Outcome, int, string, string, bool> Rows => new()
    {
        // Relayed, or nobody left to tell: no answer of the proxy's own.
        { Outcome.Ok, 0, "", "ok", false },
        { Outcome.ClientAborted, 0, "", "client_aborted", false },
        // Refusals before anything is sent upstream; retrying the same request cannot help.
        { Outcome.RouteNotFound, 404, "not_found_error", "route_not_found", true },
        { Outcome.MethodNotAllowed, 405, "invalid_request_error", "method_not_allowed", true },
        { Outcome.RequestTooLarge, 413, "request_too_large", "request_too_large", true },
        { Outcome.ClientRequestFailed, 400, "invalid_request_error", "client_request_failed", true },
        { Outcome.MalformedRequest, 400, "invalid_request_error", "malformed_request", true },
        { Outcome.ClientUnauthenticated, 401, "authentication_error", "client_unauthenticated", true },
        { Outcome.ProviderNotAllowedForClient, 403, "permission_error", "provider_not_allowed", true },
        { Outcome.PeerNotAllowed, 403, "permission_error", "peer_not_allowed", true },
        // Busy: clients back off and retry.
        { Outcome.ConcurrencyLimit, 429, "rate_limit_error", "concurrency_limit", false },
        // The upstream connection: transient ones may be retried, a refused address or bad certificate not.
        { Outcome.UpstreamDnsFailed, 502, "api_error", "upstream_dns_failed", false },
        { Outcome.UpstreamAddressNotAllowed, 502, "api_error", "upstream_address_not_allowed", true },
        { Outcome.UpstreamConnectFailed, 502, "api_error", "upstream_connect_failed", false },
        { Outcome.UpstreamConnectTimeout, 504, "api_error", "upstream_connect_timeout", false },
        { Outcome.UpstreamTlsFailed, 502, "api_error", "upstream_tls_failed", true },
        { Outcome.UpstreamReset, 502, "api_error", "upstream_reset", false },
        // Bounds on the response.
        { Outcome.UpstreamTimeout, 504, "api_error", "upstream_timeout", false },
        { Outcome.ResponseTooLarge, 502, "api_error", "response_too_large", true },
        { Outcome.StreamIdleTimeout, 504, "api_error", "stream_idle_timeout", false },
        { Outcome.StreamMaxDuration, 504, "api_error", "stream_max_duration", false },
        { Outcome.ShuttingDown, 503, "api_error", "shutting_down", false },
        { Outcome.Internal, 500, "api_error", "internal_error", false },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Describe_EachOutcome_HasItsRow(Outcome outcome, int status, string type, string reason, bool retryCannotHelp)
    {
        var row = OutcomeCatalog.Describe(outcome);

        Assert.Equal(status == 0 ? null : status, row.Status);
        Assert.Equal(type, row.ErrorType);
        Assert.Equal(reason, row.Reason);
        Assert.Equal(retryCannotHelp, row.RetryCannotHelp);
        Assert.Equal(outcome == Outcome.ConcurrencyLimit ? 1 : null, row.RetryAfterSeconds);
    }

    [Fact]
    public void Describe_EveryOutcome_HasExactlyOneRowWithItsOwnReason()
    {
        var outcomes = Enum.GetValues<Outcome>();

        Assert.Equal(outcomes.Length, Rows.Count);
        Assert.Equal(outcomes.Length, outcomes.Select(o => OutcomeCatalog.Describe(o).Reason).Distinct().Count());
    }

    [Fact]
    public void Message_ProxyAnswers_NameTheLimitInForce()
    {
        var limits = LimitsConfig.Defaults with { MaxResponseBytes = 1024, StreamIdle = TimeSpan.FromMilliseconds(500), ConnectTimeout = TimeSpan.FromSeconds(2) };

        Assert.Equal("isoproxy: upstream response exceeds max_response_bytes (1024 bytes)", OutcomeCatalog.Describe(Outcome.ResponseTooLarge).Message(limits));
        Assert.Equal("isoproxy: upstream stream was silent for more than stream_idle_seconds (0.5 s)", OutcomeCatalog.Describe(Outcome.StreamIdleTimeout).Message(limits));
        Assert.Equal("isoproxy: could not connect to the upstream within connect_timeout_seconds (2 s)", OutcomeCatalog.Describe(Outcome.UpstreamConnectTimeout).Message(limits));
        foreach (var outcome in Enum.GetValues<Outcome>().Where(o => OutcomeCatalog.Describe(o).Status is not null))
        {
            Assert.StartsWith("isoproxy: ", OutcomeCatalog.Describe(outcome).Message(limits), StringComparison.Ordinal);
        }
    }
}
