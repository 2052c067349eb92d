using System.Collections.Frozen;
using System.Diagnostics;
using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Hosting;
using Isoproxy.Limits;
using Isoproxy.Logging;
using Isoproxy.Routing;
using Isoproxy.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Forwarding;

/// <summary>
/// Handles every request the proxy accepts, in this order:
/// (1) accept → (2) route allowlist → (3) who may connect → (4) limits → (5) strip client
/// credentials → (6) inject the provider credential → (7) send → (8) stream back within
/// bounds → (9) one log line. Steps 5–6 live in <see cref="PassThroughTransformer"/>, step 8 in
/// <see cref="ResponseRelayStream"/>; each step is marked below.
/// </summary>
public sealed class ProxyRequestHandler(
    ProxyConfig config,
    IHttpForwarder forwarder,
    FrozenDictionary<string, HttpMessageInvoker> upstreams,
    ConcurrencyGate concurrency,
    RequestLogWriter log,
    ShutdownSignal shutdown)
{
    private static readonly byte[] HealthBody = "{\"status\":\"ok\"}"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        // (1) Accept.
        var requestId = "iso_" + Guid.NewGuid().ToString("N")[..20];
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var logged = new LoggedRequest(requestId, context.Request.Method, rawTarget);

        // Upgrade is a hop-by-hop request; the API has no upgradable route, so the forwarder never sees one.
        context.Features.Set<IHttpUpgradeFeature>(null);
        context.Features.Set<IHttpExtendedConnectFeature>(null);

        try
        {
            await HandleCoreAsync(context, rawTarget, logged);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault of the proxy itself: say so, in the API's shape, and let the host log it.
            logged.Outcome = ErrorCatalog.Describe(ProxyFailure.Internal).Reason;
            if (!await ErrorResponseWriter.TryWriteAsync(context, ProxyFailure.Internal, "isoproxy: internal error", CancellationToken.None))
            {
                context.Abort();
            }
            throw;
        }
        finally
        {
            // (9) One log line.
            log.Write(logged.ToEntry(context, Environment.TickCount64 - logged.StartedAt, log.Mode == LogMode.Debug));
        }
    }

    private async Task HandleCoreAsync(HttpContext context, string rawTarget, LoggedRequest logged)
    {
        var ct = context.RequestAborted;

        // (2) Route allowlist: decided on the raw target, before anything else is read.
        var route = RouteTable.Resolve(context.Request.Method, rawTarget, config);
        logged.Provider = route.Provider?.Name;
        switch (route.Kind)
        {
            case RouteKind.Health:
                logged.Outcome = "ok";
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = HealthBody.Length;
                await context.Response.Body.WriteAsync(HealthBody, ct);
                return;
            case RouteKind.NotFound:
                await RefuseAsync(context, logged, ProxyFailure.RouteNotFound, "isoproxy: " + route.Reason);
                return;
            case RouteKind.MethodNotAllowed:
                await RefuseAsync(context, logged, ProxyFailure.MethodNotAllowed, "isoproxy: " + route.Reason, route.AllowedMethod);
                return;
            case RouteKind.Forward:
                break;
            default:
                throw new UnreachableException($"unknown route kind {route.Kind}");
        }
        var provider = route.Provider!;

        // Only well-formed requests are forwarded: parsers disagree about the rest.
        if ((RequestSyntax.QueryProblem(route.Query) ?? RequestSyntax.HeaderProblem(context.Request.Headers)) is string malformed)
        {
            await RefuseAsync(context, logged, ProxyFailure.MalformedRequest, "isoproxy: " + malformed);
            return;
        }

        // (3) Who may connect: the Unix-socket peer, then the client token (never logged; the client's name is).
        if (context.Features.Get<PeerCredentials>() is { } peer && PeerPolicy.IsConfigured(config.Listen)
            && PeerPolicy.Refusal(peer, config.Listen) is string peerRefusal)
        {
            await RefuseAsync(context, logged, ProxyFailure.PeerNotAllowed, "isoproxy: " + peerRefusal);
            return;
        }
        var client = ClientAuthenticator.Decide(context.Request.Headers["x-api-key"], context.Request.Headers.Authorization, provider.Name, config.Clients);
        logged.Client = client.ClientName;
        if (client.Failure is ProxyFailure clientFailure)
        {
            await RefuseAsync(context, logged, clientFailure, "isoproxy: " + client.Reason);
            return;
        }

        // (4) Limits.
        if (shutdown.Stopping.IsCancellationRequested)
        {
            await RefuseAsync(context, logged, ProxyFailure.ShuttingDown, "isoproxy: the proxy is shutting down");
            return;
        }
        if (!concurrency.TryEnter())
        {
            await RefuseAsync(context, logged, ProxyFailure.ConcurrencyLimit,
                $"isoproxy: more than max_concurrent_requests ({config.Limits.MaxConcurrentRequests}) requests in flight; retry shortly");
            return;
        }
        try
        {
            if (context.Request.ContentLength > config.Limits.MaxRequestBytes)
            {
                await RefuseAsync(context, logged, ProxyFailure.RequestTooLarge, RequestTooLargeMessage());
                return;
            }
            var body = new BoundedRequestBodyStream(context.Request.Body, config.Limits.MaxRequestBytes);
            context.Request.Body = body;
            logged.RequestBody = body;

            // (5)–(8) Strip, inject, send, stream back.
            await ForwardAsync(context, provider, route, logged);
        }
        finally
        {
            concurrency.Exit();
        }
    }

    private async Task ForwardAsync(HttpContext context, ProviderConfig provider, RouteDecision route, LoggedRequest logged)
    {
        var limits = config.Limits;
        var state = new ForwardingState(provider, route.ApiPath, route.Query);
        logged.State = state;

        // timeout_seconds, first part: the upstream's response headers.
        using var headersDeadline = new CancellationTokenSource(limits.Timeout);
        var headersReceived = false;
        using var endOnShutdown = shutdown.GraceExpired.Register(() =>
        {
            if (!Volatile.Read(ref headersReceived))
            {
                headersDeadline.Cancel();
            }
        });

        bool OnResponseHeaders(HttpResponseMessage response)
        {
            Volatile.Write(ref headersReceived, true);
            headersDeadline.CancelAfter(Timeout.InfiniteTimeSpan);
            state.UpstreamStatus = (int)response.StatusCode;
            state.TimeToHeadersMs = Environment.TickCount64 - logged.StartedAt;
            if (response.Headers.TryGetValues("request-id", out var ids))
            {
                state.UpstreamRequestId = ids.FirstOrDefault();
            }
            if (log.Mode == LogMode.Debug)
            {
                logged.UpstreamResponseHeaders = [.. response.Headers, .. response.Content.Headers];
            }

            if (response.Content.Headers.ContentLength > limits.MaxResponseBytes)
            {
                state.Refusal = ProxyFailure.ResponseTooLarge;
                return false;
            }
            return true;
        }

        ResponseRelayStream CreateRelay(Stream upstream, bool isEventStream)
        {
            var relayLimits = isEventStream
                ? new RelayLimits(limits.MaxResponseBytes, IsEventStream: true, limits.StreamIdle,
                    Environment.TickCount64 + (long)limits.StreamMax.TotalMilliseconds)
                // timeout_seconds, second part: a non-streaming body completes within it.
                : new RelayLimits(limits.MaxResponseBytes, IsEventStream: false, Timeout.InfiniteTimeSpan,
                    logged.StartedAt + (long)limits.Timeout.TotalMilliseconds);
            var relay = new ResponseRelayStream(upstream, relayLimits, shutdown.GraceExpired, outcome => state.RelayOutcome = outcome);
            state.Relay = relay;
            return relay;
        }

        var transformer = new PassThroughTransformer(state, OnResponseHeaders, CreateRelay);
        var requestConfig = new ForwarderRequestConfig
        {
            // Timing is enforced above and in the relay, each bound named for what it measures;
            // the forwarder's own idle timer must never fire first.
            ActivityTimeout = TimeSpan.FromDays(1),
            Version = provider.HttpVersion,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            AllowResponseBuffering = false,
        };

        // (7) Send. The forwarder never retries.
        var error = await forwarder.SendAsync(context, provider.Endpoint.AbsoluteUri, upstreams[provider.Name], requestConfig, transformer, headersDeadline.Token);

        if (state.Refusal is ProxyFailure refusal)
        {
            await RefuseAsync(context, logged, refusal,
                $"isoproxy: upstream response declares more than max_response_bytes ({limits.MaxResponseBytes} bytes)");
            return;
        }

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var failure = UpstreamFailureClassifier.Classify(
            error,
            exception,
            headersTimedOut: !headersReceived && headersDeadline.IsCancellationRequested && !shutdown.GraceExpired.IsCancellationRequested,
            shuttingDown: !headersReceived && shutdown.GraceExpired.IsCancellationRequested,
            clientAborted: context.RequestAborted.IsCancellationRequested,
            state.RelayOutcome);

        logged.Outcome = OutcomeName(error, failure, state.RelayOutcome, context.RequestAborted.IsCancellationRequested);
        if (failure is ProxyFailure f && !context.Response.HasStarted)
        {
            await ErrorResponseWriter.TryWriteAsync(context, f, FailureMessage(f, limits), CancellationToken.None);
        }
        else if (failure is not null || error != ForwarderError.None)
        {
            // Started and failed: the client must see a broken response, never a short one that looks complete.
            context.Abort();
        }
    }

    private static string OutcomeName(ForwarderError error, ProxyFailure? failure, RelayOutcome relay, bool clientAborted) => relay switch
    {
        RelayOutcome.ResponseTooLarge => "response_too_large",
        RelayOutcome.StreamIdleTimeout => "stream_idle_timeout",
        RelayOutcome.StreamMaxDuration => "stream_max_duration",
        RelayOutcome.BodyTimeout => "upstream_timeout",
        RelayOutcome.ShutdownGraceExpired => "shutting_down",
        _ when failure is ProxyFailure f => ErrorCatalog.Describe(f).Reason,
        _ when error != ForwarderError.None && clientAborted => "client_aborted",
        _ when error != ForwarderError.None => "upstream_reset",
        _ => "ok",
    };

    private string RequestTooLargeMessage() =>
        $"isoproxy: request body exceeds max_request_bytes ({config.Limits.MaxRequestBytes} bytes)";

    private string FailureMessage(ProxyFailure failure, LimitsConfig limits) => failure switch
    {
        ProxyFailure.RequestTooLarge => RequestTooLargeMessage(),
        ProxyFailure.ClientRequestFailed => "isoproxy: the request body could not be read",
        ProxyFailure.ResponseTooLarge => $"isoproxy: upstream response exceeds max_response_bytes ({limits.MaxResponseBytes} bytes)",
        ProxyFailure.UpstreamTimeout => $"isoproxy: no complete upstream response within timeout_seconds ({limits.Timeout.TotalSeconds:0.###} s)",
        ProxyFailure.UpstreamConnectTimeout => $"isoproxy: could not connect to the upstream within connect_timeout_seconds ({limits.ConnectTimeout.TotalSeconds:0.###} s)",
        ProxyFailure.UpstreamDnsFailed => "isoproxy: the upstream host name did not resolve",
        ProxyFailure.UpstreamAddressNotAllowed => "isoproxy: the upstream host resolved only to addresses the proxy may not connect to",
        ProxyFailure.UpstreamConnectFailed => "isoproxy: could not connect to the upstream",
        ProxyFailure.UpstreamTlsFailed => "isoproxy: the upstream's TLS certificate could not be verified",
        ProxyFailure.UpstreamReset => "isoproxy: the upstream closed the connection before a complete response",
        ProxyFailure.ShuttingDown => "isoproxy: the proxy is shutting down",
        _ => "isoproxy: " + ErrorCatalog.Describe(failure).Reason.Replace('_', ' '),
    };

    private static async Task RefuseAsync(HttpContext context, LoggedRequest logged, ProxyFailure failure, string message, string? allow = null)
    {
        logged.Outcome = ErrorCatalog.Describe(failure).Reason;
        await ErrorResponseWriter.TryWriteAsync(context, failure, message, context.RequestAborted, allow);
    }
}
