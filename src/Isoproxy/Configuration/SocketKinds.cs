using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace Isoproxy.Configuration;

/// <summary>The kinds of value that describe a listener, shared by <c>listen:</c> and <c>admin:</c>.</summary>
internal static class SocketKinds
{
    public static FieldKind<IPEndPoint?> EndPoint { get; } = FieldKinds.Text<IPEndPoint?>(
        "`HOST:PORT`",
        text => EndPointText.TryParse(text, out var endPoint)
            ? Parsed<IPEndPoint?>.Valid(endPoint)
            : Parsed<IPEndPoint?>.Invalid("must be HOST:PORT with HOST an IPv4 address, [IPv6 address] or localhost, and PORT 0-65535"),
        endPoint => endPoint is null ? "null" : YamlText.Scalar(EndPointText.Format(endPoint)));

    public static FieldKind<string?> SocketPath { get; } = FieldKinds.Text<string?>(
        "absolute path",
        text => Path.IsPathFullyQualified(text) ? Parsed<string?>.Valid(text) : Parsed<string?>.Invalid("must be an absolute path"),
        YamlText.ScalarOrNull);

    /// <summary>A socket's file mode of 3 or 4 octal digits, without the setuid, setgid and sticky bits.</summary>
    public static FieldKind<UnixFileMode> SocketMode { get; } = FieldKinds.Scalar("octal string, 3–4 digits", ParseSocketMode, FormatMode);

    /// <summary>User or group ids of Unix-socket peers.</summary>
    public static FieldKind<ImmutableArray<uint>> IdList { get; } = FieldKinds.List(
        "list of integers ≥ 0",
        item => FieldKinds.ItemText(item) is { } text && uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? Parsed<uint>.Valid(id)
            : Parsed<uint>.Invalid("must be a non-negative integer id"),
        id => id.ToString(CultureInfo.InvariantCulture));

    private const UnixFileMode SpecialBits = UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit;

    /// <summary>Read as written, so a plain 0660 is octal, not the YAML 1.1 integer 432.</summary>
    private static Parsed<UnixFileMode> ParseMode(string text) =>
        text.Length is >= 3 and <= 4 && text.All(c => c is >= '0' and <= '7')
            ? Parsed<UnixFileMode>.Valid((UnixFileMode)Convert.ToInt32(text, 8))
            : Parsed<UnixFileMode>.Invalid("must be an octal file mode of 3 or 4 digits, e.g. \"0660\"");

    /// <summary>The special bits mean nothing on a socket; asking for them is a mistake worth stopping.</summary>
    private static Parsed<UnixFileMode> ParseSocketMode(string text)
    {
        var parsed = ParseMode(text);
        return parsed.HasValue && (parsed.Value & SpecialBits) != 0
            ? Parsed<UnixFileMode>.Invalid("must not set the setuid, setgid or sticky bit (the first of 4 digits must be 0)")
            : parsed;
    }

    private static string FormatMode(UnixFileMode mode) => $"\"{Convert.ToString((int)mode, 8).PadLeft(4, '0')}\"";
}
