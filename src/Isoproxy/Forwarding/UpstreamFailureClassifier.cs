using System.Security.Authentication;
using Isoproxy.Errors;
using Isoproxy.Limits;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Forwarding;

/// <summary>
/// Turns what went wrong in a forward into the one <see cref="ProxyFailure"/> the client is told,
/// or null when there is nobody to tell (the client left) or nothing went wrong.
/// </summary>
/// <remarks>Order matters: the most specific cause wins. Each check names who failed.</remarks>
public static class UpstreamFailureClassifier
{
    public static ProxyFailure? Classify(ForwarderError error, Exception? exception, bool headersTimedOut, bool shuttingDown, bool clientAborted, RelayOutcome relayOutcome)
    {
        if (error == ForwarderError.None || clientAborted)
        {
            return null;
        }

        // The client's own body crossed the limit, or could not be read.
        if (Find<RequestTooLargeException>(exception) is not null
            || Find<BadHttpRequestException>(exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return ProxyFailure.RequestTooLarge;
        }
        if (error is ForwarderError.RequestBodyClient)
        {
            return ProxyFailure.ClientRequestFailed;
        }

        // Bounds the proxy enforces on the response.
        switch (relayOutcome)
        {
            case RelayOutcome.ResponseTooLarge:
                return ProxyFailure.ResponseTooLarge;
            case RelayOutcome.BodyTimeout:
                return ProxyFailure.UpstreamTimeout;
            case RelayOutcome.ShutdownGraceExpired:
                return ProxyFailure.ShuttingDown;
            default:
                break;
        }
        if (headersTimedOut)
        {
            return ProxyFailure.UpstreamTimeout;
        }
        if (shuttingDown)
        {
            return ProxyFailure.ShuttingDown;
        }

        // The upstream connection.
        if (Find<UpstreamDnsFailedException>(exception) is not null)
        {
            return ProxyFailure.UpstreamDnsFailed;
        }
        if (Find<UpstreamAddressRefusedException>(exception) is not null)
        {
            return ProxyFailure.UpstreamAddressNotAllowed;
        }
        if (Find<TimeoutException>(exception) is not null)
        {
            // SocketsHttpHandler's ConnectTimeout: connect plus TLS handshake.
            return ProxyFailure.UpstreamConnectTimeout;
        }
        if (Find<HttpRequestException>(exception) is { } httpError)
        {
            return httpError.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => ProxyFailure.UpstreamDnsFailed,
                HttpRequestError.ConnectionError when Find<AuthenticationException>(exception) is not null => ProxyFailure.UpstreamTlsFailed,
                HttpRequestError.ConnectionError => ProxyFailure.UpstreamConnectFailed,
                HttpRequestError.SecureConnectionError => ProxyFailure.UpstreamTlsFailed,
                _ => ProxyFailure.UpstreamReset,
            };
        }
        if (Find<AuthenticationException>(exception) is not null)
        {
            return ProxyFailure.UpstreamTlsFailed;
        }
        return ProxyFailure.UpstreamReset;
    }

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain, inner and aggregated ones included.</summary>
    private static T? Find<T>(Exception? exception) where T : Exception
    {
        while (exception is not null)
        {
            if (exception is T match)
            {
                return match;
            }
            if (exception is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (Find<T>(inner) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            }
            exception = exception.InnerException;
        }
        return null;
    }
}
