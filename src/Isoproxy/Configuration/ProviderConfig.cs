using System.Collections.Immutable;
using System.Net;
using Isoproxy.Credentials;

namespace Isoproxy.Configuration;

/// <summary>One upstream provider: where requests routed to it go, and the only key they may carry.</summary>
/// <param name="Name">Provider name, <c>[a-z0-9-]+</c>; also its path prefix <c>/&lt;name&gt;/v1/...</c>.</param>
/// <param name="Endpoint">Absolute https URI without user info, query or fragment; may carry a base path. No trailing slash.</param>
/// <param name="Key">The provider's API key; never printed.</param>
/// <param name="KeySource">Where the key came from, for display (e.g. <c>env:ANTHROPIC_API_KEY</c>, <c>file:/run/creds/x</c>).</param>
/// <param name="Auth">How the key is sent upstream.</param>
/// <param name="CaFile">When set, the only CA (PEM) trusted for this provider's TLS certificate.</param>
/// <param name="HttpVersion">Upstream HTTP version: 1.1 (default) or 2.</param>
/// <param name="Resolve">When not empty, the addresses to connect to instead of resolving the host name (no DNS at all).</param>
/// <param name="UnsafeAllowPrivateAddresses">When true, loopback, private and CGNAT addresses from DNS may be dialled.</param>
public sealed record ProviderConfig(
    string Name,
    Uri Endpoint,
    ApiKey Key,
    string KeySource,
    UpstreamAuth Auth,
    string? CaFile,
    Version HttpVersion,
    ImmutableArray<IPAddress> Resolve,
    bool UnsafeAllowPrivateAddresses);

/// <summary>How the provider key is presented to the upstream.</summary>
public enum UpstreamAuth
{
    /// <summary><c>x-api-key: KEY</c> (Anthropic's native scheme).</summary>
    XApiKey,

    /// <summary><c>Authorization: Bearer KEY</c>.</summary>
    Bearer,
}
