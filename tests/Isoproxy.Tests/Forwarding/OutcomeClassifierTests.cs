using System.Net.Sockets;
using System.Security.Authentication;
using Isoproxy.Errors;
using Isoproxy.Forwarding;
using Isoproxy.Limits;
using Isoproxy.Security;
using Microsoft.AspNetCore.Http;
using Xunit;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Tests.Forwarding;

/// <summary>How a forward ended, from what the forwarder reported and what the proxy's own bounds decided.</summary>
public sealed class OutcomeClassifierTests
{
    private static readonly SocketException Refused = new((int)SocketError.ConnectionRefused);

    /// <summary>Forwarder error, exception, the proxy's bound, client gone → outcome.</summary>
    public static TheoryData<string, ForwarderError, Exception?, Outcome?, bool, Outcome> Cases => new()
    {
        // Nothing went wrong.
        { "relayed", ForwarderError.None, null, null, false, Outcome.Ok },
        // A stream cut by a bound ended cleanly (its SSE error event), yet the bound is the outcome.
        { "stream idle", ForwarderError.None, null, Outcome.StreamIdleTimeout, false, Outcome.StreamIdleTimeout },
        { "stream max", ForwarderError.None, null, Outcome.StreamMaxDuration, false, Outcome.StreamMaxDuration },
        // A declared body over the limit was refused without relaying anything.
        { "declared too large", ForwarderError.None, null, Outcome.ResponseTooLarge, false, Outcome.ResponseTooLarge },
        // A non-streaming body cut by a bound made the forwarder fail: the bound wins.
        { "body too large", ForwarderError.ResponseBodyDestination, new IOException("cut"), Outcome.ResponseTooLarge, false, Outcome.ResponseTooLarge },
        { "body timeout", ForwarderError.ResponseBodyDestination, new IOException("cut"), Outcome.UpstreamTimeout, false, Outcome.UpstreamTimeout },
        // The wait for headers ended by timeout_seconds or the shutdown grace.
        { "headers timeout", ForwarderError.RequestCanceled, new TaskCanceledException(), Outcome.UpstreamTimeout, false, Outcome.UpstreamTimeout },
        { "shutdown before headers", ForwarderError.RequestCanceled, new TaskCanceledException(), Outcome.ShuttingDown, false, Outcome.ShuttingDown },
        // The client left: nobody to tell.
        { "client gone", ForwarderError.ResponseBodyClient, new IOException("reset"), null, true, Outcome.ClientAborted },
        { "client gone before headers", ForwarderError.RequestCanceled, new TaskCanceledException(), null, true, Outcome.ClientAborted },
        // The client's body.
        { "counted body too large", ForwarderError.RequestBodyClient, new RequestTooLargeException(10), null, false, Outcome.RequestTooLarge },
        { "kestrel 413", ForwarderError.RequestBodyClient, new BadHttpRequestException("too large", StatusCodes.Status413PayloadTooLarge), null, false, Outcome.RequestTooLarge },
        { "unreadable body", ForwarderError.RequestBodyClient, new IOException("bad chunk"), null, false, Outcome.ClientRequestFailed },
        // The upstream connection.
        { "dns", ForwarderError.Request, Wrapped(new UpstreamDnsFailedException("api.example", new SocketException((int)SocketError.HostNotFound))), null, false, Outcome.UpstreamDnsFailed },
        { "dns by handler", ForwarderError.Request, new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), null, false, Outcome.UpstreamDnsFailed },
        { "address refused", ForwarderError.Request, Wrapped(new UpstreamAddressRefusedException("169.254.169.254 is link-local")), null, false, Outcome.UpstreamAddressNotAllowed },
        { "connect timeout", ForwarderError.Request, Wrapped(new TimeoutException()), null, false, Outcome.UpstreamConnectTimeout },
        { "connect refused", ForwarderError.Request, Wrapped(Refused), null, false, Outcome.UpstreamConnectFailed },
        { "tls in connect", ForwarderError.Request, Wrapped(new AuthenticationException("bad certificate")), null, false, Outcome.UpstreamTlsFailed },
        { "tls", ForwarderError.Request, new HttpRequestException(HttpRequestError.SecureConnectionError, "tls"), null, false, Outcome.UpstreamTlsFailed },
        { "reset before head", ForwarderError.Request, new HttpRequestException(HttpRequestError.ResponseEnded, "ended"), null, false, Outcome.UpstreamReset },
        { "reset mid body", ForwarderError.ResponseBodyDestination, new IOException("reset"), null, false, Outcome.UpstreamReset },
        { "no exception", ForwarderError.Request, null, null, false, Outcome.UpstreamReset },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Case_Outcome(string name, ForwarderError error, Exception? exception, Outcome? bound, bool clientAborted, Outcome expected)
    {
        Assert.True(expected == OutcomeClassifier.Classify(error, exception, bound, clientAborted), name);
    }

    /// <summary>How SocketsHttpHandler reports a failure of its connect callback.</summary>
    private static HttpRequestException Wrapped(Exception inner) =>
        new(HttpRequestError.ConnectionError, "connect failed", inner);
}
