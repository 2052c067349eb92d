using System.Diagnostics;
using Isoproxy.Configuration;
using Isoproxy.Errors;
using Isoproxy.Limits;
using Isoproxy.Logging;
using Isoproxy.Operations;
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
    ProxyRuntimeHolder runtimes,
    IHttpForwarder forwarder,
    ConcurrencyGate concurrency,
    ShutdownSignal shutdown,
    RequestReporter reporter)
{
    private static readonly byte[] HealthBody = "{\"status\":\"ok\"}"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        // (1) Accept.
        var requestId = RequestIds.Next();
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var logged = new LoggedRequest(requestId, context.Request.Method, rawTarget);
        // The configuration, pools and log mode this request uses to its last byte, even if a reload replaces them meanwhile.
        var runtime = runtimes.Acquire();
        var config = runtime.Config;

        // Upgrade is a hop-by-hop request; the API has no upgradable route, so the forwarder never sees one.
        context.Features.Set<IHttpUpgradeFeature>(null);
        context.Features.Set<IHttpExtendedConnectFeature>(null);

        try
        {
            await HandleCoreAsync(context, rawTarget, logged, runtime);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A fault of the proxy itself: say so, in the API's shape, and let the host log it.
            logged.Outcome = Outcome.Internal;
            if (!await ErrorResponseWriter.TryWriteAsync(context, Outcome.Internal, OutcomeCatalog.Describe(Outcome.Internal).Message(config.Limits), CancellationToken.None))
            {
                context.Abort();
            }
            throw;
        }
        finally
        {
            // (9) One log line, and the same facts as metrics and security events.
            try
            {
                var entry = logged.ToEntry(context, Environment.TickCount64 - logged.StartedAt, runtime.Log.Mode == LogMode.Debug);
                // Metrics and events first: once the log line is out, they already count this request.
                reporter.Report(entry, logged.Outcome, logged.Route, context, config);
                runtime.Log.Write(entry);
            }
            finally
            {
                runtime.Release();
            }
        }
    }

    private async Task HandleCoreAsync(HttpContext context, string rawTarget, LoggedRequest logged, ProxyRuntime runtime)
    {
        var ct = context.RequestAborted;
        var config = runtime.Config;

        // (2) Route allowlist: decided on the raw target, before anything else is read.
        var route = RouteTable.Resolve(context.Request.Method, rawTarget, config);
        logged.Provider = route.Provider?.Name;
        logged.Route = MetricRoute.Of(route);
        switch (route.Kind)
        {
            case RouteKind.Health:
                logged.Outcome = Outcome.Ok;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = HealthBody.Length;
                await context.Response.Body.WriteAsync(HealthBody, ct);
                return;
            case RouteKind.NotFound:
                await RefuseAsync(context, logged, config, Outcome.RouteNotFound, route.Reason);
                return;
            case RouteKind.MethodNotAllowed:
                await RefuseAsync(context, logged, config, Outcome.MethodNotAllowed, route.Reason, route.AllowedMethod);
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
            await RefuseAsync(context, logged, config, Outcome.MalformedRequest, malformed);
            return;
        }

        // (3) Who may connect: the client token (never logged; the client's name is). Unix-socket
        // peers were checked when the connection was accepted (Hosting/ConnectionAdmission).
        var client = ClientAuthenticator.Decide(context.Request.Headers["x-api-key"], context.Request.Headers.Authorization, provider.Name, config.Clients);
        logged.Client = client.ClientName;
        if (client.Failure is Outcome clientFailure)
        {
            await RefuseAsync(context, logged, config, clientFailure, client.Reason);
            return;
        }

        // (4) Limits.
        if (shutdown.Stopping.IsCancellationRequested)
        {
            await RefuseAsync(context, logged, config, Outcome.ShuttingDown);
            return;
        }
        if (!concurrency.TryEnter())
        {
            await RefuseAsync(context, logged, config, Outcome.ConcurrencyLimit);
            return;
        }
        reporter.Metrics.RequestStarted(provider.Name);
        try
        {
            if (BoundedRequestBodyStream.DeclaresTooMuch(context.Request.ContentLength, config.Limits.MaxRequestBytes))
            {
                await RefuseAsync(context, logged, config, Outcome.RequestTooLarge);
                return;
            }
            var body = new BoundedRequestBodyStream(context.Request.Body, config.Limits.MaxRequestBytes);
            context.Request.Body = body;
            logged.RequestBody = body;

            // (5)–(8) Strip, inject, send, stream back.
            await ForwardAsync(context, provider, route, logged, runtime);
        }
        finally
        {
            reporter.Metrics.RequestEnded(provider.Name);
            concurrency.Exit();
        }
    }

    private async Task ForwardAsync(HttpContext context, ProviderConfig provider, RouteDecision route, LoggedRequest logged, ProxyRuntime runtime)
    {
        var config = runtime.Config;
        using var exchange = new UpstreamExchange(provider, route, config.Limits, logged.StartedAt, shutdown.GraceExpired, captureHeaders: runtime.Log.Mode == LogMode.Debug);
        var transformer = new PassThroughTransformer(exchange);
        var requestConfig = new ForwarderRequestConfig
        {
            // Every bound is enforced by the exchange and the relay, each named for what it
            // measures; the forwarder's own idle timer must never fire first.
            ActivityTimeout = TimeSpan.FromDays(1),
            Version = provider.HttpVersion,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            AllowResponseBuffering = false,
        };

        // (7) Send. The forwarder never retries.
        var error = await forwarder.SendAsync(context, provider.Endpoint.AbsoluteUri, runtime.Upstreams[provider.Name], requestConfig, transformer, exchange.HeadersDeadline);

        // Classify: a bound of the proxy's own, or who failed.
        var outcome = OutcomeClassifier.Classify(error, context.Features.Get<IForwarderErrorFeature>()?.Exception, exchange.Bound, context.RequestAborted.IsCancellationRequested);
        logged.Outcome = outcome;
        logged.TimeToHeadersMs = exchange.TimeToHeadersMs;
        logged.UpstreamRequestId = exchange.UpstreamRequestId;
        logged.UpstreamResponseHeaders = exchange.UpstreamResponseHeaders;
        logged.ResponseBytes = exchange.Relay?.RelayedBytes;

        // Answer: the proxy's own error while nothing has been sent; once something has, a broken
        // connection, never a short response that looks complete. (A stream cut by a bound has
        // already ended with its SSE error event, cleanly.)
        if (!context.Response.HasStarted && OutcomeCatalog.Describe(outcome).Status is not null)
        {
            await ErrorResponseWriter.TryWriteAsync(context, outcome, OutcomeCatalog.Describe(outcome).Message(config.Limits), CancellationToken.None);
        }
        else if (error != ForwarderError.None)
        {
            context.Abort();
        }
    }

    /// <summary>Refuses the request with the outcome's error; <paramref name="detail"/> says more than the catalog's message.</summary>
    private static async Task RefuseAsync(HttpContext context, LoggedRequest logged, ProxyConfig config, Outcome outcome, string? detail = null, string? allow = null)
    {
        logged.Outcome = outcome;
        var message = detail is null ? OutcomeCatalog.Describe(outcome).Message(config.Limits) : "isoproxy: " + detail;
        await ErrorResponseWriter.TryWriteAsync(context, outcome, message, context.RequestAborted, allow);
    }
}
