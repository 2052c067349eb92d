namespace Isoproxy.Routing;

/// <summary>What the route table decided for a request target.</summary>
public enum RouteKind
{
    /// <summary>An allowlisted API route: forward to <see cref="RouteDecision.Provider"/>.</summary>
    Forward,

    /// <summary><c>GET /health</c>, answered locally.</summary>
    Health,

    /// <summary>Not an allowlisted route: 404, never forwarded.</summary>
    NotFound,

    /// <summary>A known route with a method it does not accept: 405, never forwarded.</summary>
    MethodNotAllowed,
}
