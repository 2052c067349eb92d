using Isoproxy.Configuration;

namespace Isoproxy.Routing;

/// <summary>The route table's verdict, with the reason that goes into the log line and the error message.</summary>
/// <param name="Kind">Forward, answer locally, or refuse.</param>
/// <param name="Reason">Why; shown to the client for refusals.</param>
/// <param name="Provider">For <see cref="RouteKind.Forward"/>: the provider that receives the request.</param>
/// <param name="ApiPath">For <see cref="RouteKind.Forward"/>: the API path appended to the provider endpoint, e.g. <c>/v1/messages</c>.</param>
/// <param name="Query">For <see cref="RouteKind.Forward"/>: the raw query string including its <c>?</c>, or empty.</param>
/// <param name="AllowedMethod">For <see cref="RouteKind.MethodNotAllowed"/>: the method the route accepts.</param>
public sealed record RouteDecision(
    RouteKind Kind,
    string Reason,
    ProviderConfig? Provider = null,
    string ApiPath = "",
    string Query = "",
    string? AllowedMethod = null)
{
    public static RouteDecision NotFound(string reason) => new(RouteKind.NotFound, reason);
}
