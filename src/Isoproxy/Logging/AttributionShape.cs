using Microsoft.Extensions.Primitives;

namespace Isoproxy.Logging;

/// <summary>
/// Which header values may enter the request log to say who sent a request, without reading
/// it. A value is kept only when it has a strict shape; anything else (two values, a control
/// character, a quote, an over-long value) is dropped, so a client cannot inject log content.
/// </summary>
public static class AttributionShape
{
    /// <summary>Longest id kept (session and agent ids).</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest user agent kept.</summary>
    public const int MaxUserAgentLength = 256;

    /// <summary>An id: letters, digits and <c>._:-</c>, 1 to 128 bytes; else null.</summary>
    public static string? Id(StringValues header) =>
        Single(header) is { Length: > 0 and <= MaxIdLength } value && value.All(IsIdCharacter) ? value : null;

    /// <summary>A user agent: printable ASCII (space to <c>~</c>), 1 to 256 bytes; else null.</summary>
    public static string? UserAgent(StringValues header) =>
        Single(header) is { Length: > 0 and <= MaxUserAgentLength } value && value.All(c => c is >= ' ' and <= '~') ? value : null;

    /// <summary>
    /// The trace id of a well-formed W3C <c>traceparent</c> (<c>00-{32 hex}-{16 hex}-{2 hex}</c>,
    /// lower-case, ids not all zero); else null.
    /// </summary>
    public static string? TraceId(StringValues traceparent)
    {
        if (Single(traceparent) is not string value)
        {
            return null;
        }
        // version "-" trace-id "-" parent-id "-" flags; a later version may append "-" and more.
        if (value.Length < 55 || value[2] != '-' || value[35] != '-' || value[52] != '-')
        {
            return null;
        }
        var version = value[..2];
        var traceId = value[3..35];
        var parentId = value[36..52];
        var flags = value[53..55];
        var versionOk = IsLowerHex(version) && version != "ff" && (version == "00" ? value.Length == 55 : value.Length == 55 || value[55] == '-');
        if (!versionOk || !IsLowerHex(traceId) || !IsLowerHex(parentId) || !IsLowerHex(flags)
            || traceId.All(c => c == '0') || parentId.All(c => c == '0'))
        {
            return null;
        }
        return traceId;
    }

    private static string? Single(StringValues header) => header.Count == 1 ? header[0] : null;

    private static bool IsIdCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-';

    private static bool IsLowerHex(string text) => text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
