using System.Collections.Frozen;
using Isoproxy.Errors;

namespace Isoproxy.Forwarding;

/// <summary>
/// Which request headers cross the proxy. Everything not listed here is forwarded verbatim —
/// every <c>anthropic-*</c>, <c>x-stainless-*</c>, <c>x-app</c> and header nobody has invented
/// yet — because clients depend on new headers before any proxy knows them.
/// </summary>
public static class HeaderPolicy
{
    /// <summary>Headers that describe one hop's connection, not the request (RFC 9110 §7.6.1), plus Host.</summary>
    public static readonly FrozenSet<string> HopByHop = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        // The upstream's host comes from configuration alone.
        "host",
        // Kestrel answers 100-continue to the client itself; the upstream request carries the whole body.
        "expect",
        // HTTP/2 pseudo-headers never appear on HTTP/1.1 listeners; listed so they can never leak.
        ":authority",
        ":method",
        ":path",
        ":scheme");

    /// <summary>
    /// Credentials a client may present. None is ever forwarded: the upstream sees only the
    /// provider key that the proxy injects.
    /// </summary>
    public static readonly FrozenSet<string> ClientCredentials = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "x-api-key",
        "authorization",
        "proxy-authorization",
        "cookie");

    /// <summary>
    /// Headers some gateways and frameworks obey to change a request's method or path. The route
    /// and method allowlist must not depend on the upstream ignoring them, so none is forwarded.
    /// </summary>
    public static readonly FrozenSet<string> RoutingOverrides = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "x-http-method-override",
        "x-http-method",
        "x-method-override",
        "x-original-url",
        "x-rewrite-url");

    /// <summary>
    /// Headers that claim where a request came from or which proxies it crossed. The proxy never
    /// adds them, and a sandboxed client must not be able to claim them either. Every
    /// <c>x-forwarded-*</c> name counts too (see <see cref="ForwardingClaimPrefix"/>).
    /// </summary>
    public static readonly FrozenSet<string> ForwardingClaims = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "forwarded",
        "x-real-ip",
        "via");

    /// <summary>Prefix of <c>X-Forwarded-For</c>, <c>-Host</c>, <c>-Proto</c>, <c>-Port</c>, <c>-Prefix</c> and any other such name.</summary>
    public const string ForwardingClaimPrefix = "x-forwarded-";

    /// <summary>True when a client request header may be forwarded upstream.</summary>
    /// <param name="name">The header's name.</param>
    /// <param name="connectionNominated">Names the client listed in its <c>Connection</c> header (see <see cref="ConnectionNominated"/>).</param>
    public static bool ShouldForwardRequestHeader(string name, IReadOnlySet<string> connectionNominated) =>
        !HopByHop.Contains(name)
        && !ClientCredentials.Contains(name)
        && !RoutingOverrides.Contains(name)
        && !ForwardingClaims.Contains(name)
        && !name.StartsWith(ForwardingClaimPrefix, StringComparison.OrdinalIgnoreCase)
        && !connectionNominated.Contains(name);

    /// <summary>
    /// True when an upstream response header may be relayed to the client. Only the proxy's own
    /// reason header is held back, so that <c>x-isoproxy-error</c> always means the proxy itself refused.
    /// </summary>
    public static bool ShouldRelayResponseHeader(string name) =>
        !string.Equals(name, OutcomeCatalog.ReasonHeader, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The header names a <c>Connection</c> header lists: they describe that one hop too, and are
    /// never forwarded (RFC 9110 §7.6.1). Listing a name only ever removes it, so nothing can be
    /// smuggled through this. (Kestrel reduces a <c>Connection</c> header that contains <c>close</c>
    /// to just <c>close</c>; names listed beside it are then no longer known here.)
    /// </summary>
    public static IReadOnlySet<string> ConnectionNominated(IEnumerable<string?> connectionHeaderValues)
    {
        HashSet<string>? names = null;
        foreach (var value in connectionHeaderValues)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            foreach (var token in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                (names ??= new HashSet<string>(StringComparer.OrdinalIgnoreCase)).Add(token);
            }
        }
        return names ?? (IReadOnlySet<string>)FrozenSet<string>.Empty;
    }
}
