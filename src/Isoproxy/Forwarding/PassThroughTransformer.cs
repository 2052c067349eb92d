using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Forwarding;

/// <summary>
/// Builds the upstream request from the client's and relays the upstream's response head, changing
/// nothing but what <see cref="HeaderPolicy"/> and <see cref="CredentialInjector"/> say.
/// One instance per request; what it learns of the response goes into the <see cref="UpstreamExchange"/>.
/// </summary>
public sealed class PassThroughTransformer(UpstreamExchange exchange) : HttpTransformer
{
    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var request = httpContext.Request;
        // With both framings present, Transfer-Encoding wins (RFC 9112 §6.3); the length is dropped.
        var chunked = request.Headers.ContainsKey(HeaderNames.TransferEncoding);
        var connectionNominated = HeaderPolicy.ConnectionNominated(request.Headers.Connection);

        foreach (var (name, values) in request.Headers)
        {
            if (!HeaderPolicy.ShouldForwardRequestHeader(name, connectionNominated)
                || (chunked && string.Equals(name, HeaderNames.ContentLength, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (!proxyRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!))
            {
                // Content-Type, Content-Length and friends belong to the body.
                proxyRequest.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        // The upstream's host and path come from configuration and the route table only.
        proxyRequest.Headers.Host = null;
        proxyRequest.RequestUri = UpstreamUrl.Build(exchange.Provider.Endpoint, exchange.ApiPath, exchange.Query);

        CredentialInjector.Inject(proxyRequest, exchange.Provider);
        return default;
    }

    public override async ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        if (proxyResponse is null)
        {
            return false;
        }

        if (!exchange.AcceptResponseHead(proxyResponse))
        {
            // Refused (e.g. declared body over the limit): nothing of this response is relayed.
            return false;
        }

        var copyBody = await base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        foreach (var name in httpContext.Response.Headers.Keys.Where(n => !HeaderPolicy.ShouldRelayResponseHeader(n)).ToList())
        {
            httpContext.Response.Headers.Remove(name);
        }
        var isEventStream = IsEventStream(proxyResponse);
        proxyResponse.Content = new RelayContent(proxyResponse.Content, upstream => exchange.StartRelay(upstream, isEventStream));
        return copyBody;
    }

    private static bool IsEventStream(HttpResponseMessage response) =>
        string.Equals(response.Content.Headers.ContentType?.MediaType, "text/event-stream", StringComparison.OrdinalIgnoreCase);
}
