using System.Collections.Frozen;

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

    /// <summary>True when a client request header may be forwarded upstream.</summary>
    /// <param name="name">The header's name.</param>
    /// <param name="connectionNominated">Names the client listed in its <c>Connection</c> header (see <see cref="ConnectionNominated"/>).</param>
    public static bool ShouldForwardRequestHeader(string name, IReadOnlySet<string> connectionNominated) =>
        !HopByHop.Contains(name) && !ClientCredentials.Contains(name) && !connectionNominated.Contains(name);

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
