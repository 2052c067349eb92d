using System.Security.Authentication;
using Isoproxy.Errors;
using Isoproxy.Limits;
using Isoproxy.Security;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Forwarding;

/// <summary>
/// Decides how a forwarded request ended, from what the forwarder reported and what the proxy's
/// own bounds decided. The one place an exchange's ending becomes an <see cref="Outcome"/>.
/// </summary>
/// <remarks>Order matters: the most specific cause wins. Each check names who failed.</remarks>
public static class OutcomeClassifier
{
    /// <param name="error">The forwarder's verdict.</param>
    /// <param name="exception">The exception behind it, if any.</param>
    /// <param name="bound">A bound of the proxy's own that ended the exchange (<see cref="UpstreamExchange.Bound"/>).</param>
    /// <param name="clientAborted">The client went away.</param>
    public static Outcome Classify(ForwarderError error, Exception? exception, Outcome? bound, bool clientAborted)
    {
        // The proxy's own bounds: the proxy cut the exchange, whatever the forwarder saw next.
        if (bound is Outcome cut)
        {
            return cut;
        }
        if (error == ForwarderError.None)
        {
            return Outcome.Ok;
        }
        if (clientAborted)
        {
            return Outcome.ClientAborted;
        }

        // The client's own body crossed the limit, or could not be read.
        if (Find<RequestTooLargeException>(exception) is not null
            || Find<BadHttpRequestException>(exception) is { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            return Outcome.RequestTooLarge;
        }
        if (error is ForwarderError.RequestBodyClient)
        {
            return Outcome.ClientRequestFailed;
        }

        // The upstream connection.
        if (Find<UpstreamDnsFailedException>(exception) is not null)
        {
            return Outcome.UpstreamDnsFailed;
        }
        if (Find<UpstreamAddressRefusedException>(exception) is not null)
        {
            return Outcome.UpstreamAddressNotAllowed;
        }
        if (Find<TimeoutException>(exception) is not null)
        {
            // SocketsHttpHandler's ConnectTimeout: connect plus TLS handshake.
            return Outcome.UpstreamConnectTimeout;
        }
        if (Find<HttpRequestException>(exception) is { } httpError)
        {
            return httpError.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => Outcome.UpstreamDnsFailed,
                HttpRequestError.ConnectionError when Find<AuthenticationException>(exception) is not null => Outcome.UpstreamTlsFailed,
                HttpRequestError.ConnectionError => Outcome.UpstreamConnectFailed,
                HttpRequestError.SecureConnectionError => Outcome.UpstreamTlsFailed,
                _ => Outcome.UpstreamReset,
            };
        }
        if (Find<AuthenticationException>(exception) is not null)
        {
            return Outcome.UpstreamTlsFailed;
        }
        return Outcome.UpstreamReset;
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
