using System.Buffers;
using Isoproxy.Configuration;

namespace Isoproxy.Routing;

/// <summary>
/// The allowlist of what may be forwarded. A pure function of the raw request target (exactly
/// as the client sent it, before any decoding or dot-segment removal) and the configuration.
/// </summary>
/// <remarks>
/// Matching is literal and strict on purpose: a target that needs decoding or normalising
/// (<c>%2e</c>, <c>..</c>, <c>//</c>, <c>;params</c>, a trailing slash, upper case, absolute
/// form) is simply not one of the routes, so no interpretation can make it reach something
/// else. The upstream URL is always built from the configured endpoint plus a path that this
/// table produced; the client only ever chooses among the routes below and the providers.
/// </remarks>
public static class RouteTable
{
    /// <summary>The API routes, with the one method each accepts.</summary>
    private static readonly (string Path, string Method)[] FixedRoutes =
    [
        ("/v1/messages", "POST"),
        ("/v1/messages/count_tokens", "POST"),
        ("/v1/models", "GET"),
    ];

    private const string ModelsPrefix = "/v1/models/";
    private const string HealthPath = "/health";

    /// <summary>Characters allowed in a model id segment of <c>/v1/models/{id}</c>.</summary>
    private static readonly SearchValues<char> ModelIdChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._:@");

    public static RouteDecision Resolve(string method, string rawTarget, ProxyConfig config)
    {
        // Origin form only: "/path?query". Absolute form (http://host/...), authority form
        // (CONNECT host:port) and asterisk form are never routes.
        if (!rawTarget.StartsWith('/'))
        {
            return RouteDecision.NotFound("request target is not a path");
        }

        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var query = queryStart < 0 ? "" : rawTarget[queryStart..];

        if (path == HealthPath)
        {
            return method == "GET"
                ? new RouteDecision(RouteKind.Health, "health")
                : new RouteDecision(RouteKind.MethodNotAllowed, "/health accepts GET only", AllowedMethod: "GET");
        }

        var (provider, apiPath, providerError) = SplitProvider(path, config);
        if (providerError is not null)
        {
            return RouteDecision.NotFound(providerError);
        }

        var allowedMethod = AllowedMethodFor(apiPath);
        if (allowedMethod is null)
        {
            return RouteDecision.NotFound($"{path} is not an API route this proxy forwards");
        }

        if (method != allowedMethod)
        {
            return new RouteDecision(RouteKind.MethodNotAllowed, $"{apiPath} accepts {allowedMethod} only", AllowedMethod: allowedMethod);
        }

        return new RouteDecision(RouteKind.Forward, "allowlisted route", provider, apiPath, query);
    }

    /// <summary>Splits <c>/&lt;name&gt;/v1/...</c> into the provider and the API path; un-prefixed paths go to the default provider.</summary>
    private static (ProviderConfig? Provider, string ApiPath, string? Error) SplitProvider(string path, ProxyConfig config)
    {
        if (path.StartsWith("/v1/", StringComparison.Ordinal) || path == "/v1")
        {
            if (config.DefaultProvider is null)
            {
                return (null, path, "no default provider is configured: use /<provider>/v1/... or set default_provider");
            }
            return (config.FindProvider(config.DefaultProvider), path, null);
        }

        var secondSlash = path.IndexOf('/', 1);
        if (secondSlash < 0)
        {
            return (null, path, $"{path} is not an API route this proxy forwards");
        }

        var name = path[1..secondSlash];
        var provider = config.FindProvider(name);
        if (provider is null)
        {
            return (null, path, "the path prefix names no configured provider; routes are /v1/... and /<provider>/v1/...");
        }
        return (provider, path[secondSlash..], null);
    }

    /// <summary>The one method an API path accepts, or null when the path is not an API route.</summary>
    private static string? AllowedMethodFor(string apiPath)
    {
        foreach (var (routePath, routeMethod) in FixedRoutes)
        {
            if (apiPath == routePath)
            {
                return routeMethod;
            }
        }

        if (apiPath.StartsWith(ModelsPrefix, StringComparison.Ordinal))
        {
            var id = apiPath.AsSpan(ModelsPrefix.Length);
            if (id.Length > 0 && id.Length <= 256 && !id.ContainsAnyExcept(ModelIdChars) && id.IndexOf("..") < 0)
            {
                return "GET";
            }
        }
        return null;
    }
}
