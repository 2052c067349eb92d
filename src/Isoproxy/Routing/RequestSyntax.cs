using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.Routing;

/// <summary>
/// Which requests are well-formed enough to forward. HTTP parsers disagree about control bytes,
/// characters a URL query may not hold and non-ASCII header values; a request carrying them is
/// refused, so the proxy is never the place where two parsers read one request differently.
/// </summary>
public static class RequestSyntax
{
    /// <summary>
    /// What RFC 3986 allows in a query: unreserved, sub-delims, ':', '@', '/', '?' and '%' (which
    /// must start a %XX escape). Everything else, controls and non-ASCII included, is refused.
    /// </summary>
    private static readonly SearchValues<char> QueryChars = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" +
        "-._~" +
        "!$&'()*+,;=" +
        ":@/?" +
        "%");

    /// <summary>Visible ASCII, space and horizontal tab: what a header value may hold here.</summary>
    private static readonly SearchValues<char> HeaderValueChars = SearchValues.Create(
        "\t !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Why the query part of <paramref name="query"/> (with or without its leading '?') is malformed, or null when it is fine.</summary>
    public static string? QueryProblem(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.AsSpan(query.StartsWith('?') ? 1 : 0);
        var bad = text.IndexOfAnyExcept(QueryChars);
        if (bad >= 0)
        {
            return $"the query contains {Describe(text[bad])}, which a URL query may not hold; percent-encode it";
        }
        for (var i = text.IndexOf('%'); i >= 0; i = NextPercent(text, i + 1))
        {
            if (!char.IsAsciiHexDigit(At(text, i + 1)) || !char.IsAsciiHexDigit(At(text, i + 2)))
            {
                return "the query contains a '%' that does not start a %XX escape";
            }
        }
        return null;
    }

    /// <summary>Why a header value is malformed (a control character other than tab, or a non-ASCII character), or null.</summary>
    public static string? HeaderProblem(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, values) in headers)
        {
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }
                var bad = value.AsSpan().IndexOfAnyExcept(HeaderValueChars);
                if (bad >= 0)
                {
                    // The name is a token (the server checked it); the value is never echoed.
                    return $"header {name} contains {Describe(value[bad])}; header values must be visible ASCII, space or tab";
                }
            }
        }
        return null;
    }

    private static char At(ReadOnlySpan<char> text, int index) => index < text.Length ? text[index] : '\0';

    private static int NextPercent(ReadOnlySpan<char> text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }
        var next = text[from..].IndexOf('%');
        return next < 0 ? -1 : from + next;
    }

    private static string Describe(char c) => c switch
    {
        < ' ' or '\x7f' => string.Create(CultureInfo.InvariantCulture, $"a control character (0x{(int)c:X2})"),
        > '\x7f' => "a non-ASCII character",
        ' ' => "a space",
        _ => $"'{c}'",
    };
}
