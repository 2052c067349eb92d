using Isoproxy.Routing;

namespace Isoproxy.Operations;

/// <summary>
/// The <c>route</c> label of the request metrics: a closed set named after the API route, never
/// the path a client sent, so a client cannot create new series.
/// </summary>
public static class MetricRoute
{
    public const string Messages = "messages";
    public const string CountTokens = "count_tokens";
    public const string Models = "models";
    public const string Model = "model";
    public const string Health = "health";
    public const string Other = "other";

    public static string Of(RouteDecision route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return route.Kind switch
        {
            RouteKind.Health => Health,
            RouteKind.Forward => route.ApiPath switch
            {
                "/v1/messages" => Messages,
                "/v1/messages/count_tokens" => CountTokens,
                "/v1/models" => Models,
                _ when route.ApiPath.StartsWith("/v1/models/", StringComparison.Ordinal) => Model,
                _ => Other,
            },
            // Refused targets are whatever a client typed: one label for all of them.
            _ => Other,
        };
    }
}
