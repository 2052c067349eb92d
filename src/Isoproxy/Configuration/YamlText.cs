using System.Globalization;
using System.Text;

namespace Isoproxy.Configuration;

/// <summary>Values written into the effective configuration so that YAML reads them back as they are.</summary>
internal static class YamlText
{
    /// <summary>Plain when that cannot be misread, otherwise a double-quoted YAML string.</summary>
    public static string Scalar(string value)
    {
        var plain = value.Length > 0
            && char.IsAsciiLetter(value[0])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && value.ToLowerInvariant() is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "y" or "n");
        if (plain)
        {
            return value;
        }
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                _ when char.IsControl(c) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }

    /// <summary>A value that may be absent: <c>null</c>, or the value as <see cref="Scalar"/> writes it.</summary>
    public static string ScalarOrNull(string? value) => value is null ? "null" : Scalar(value);

    /// <summary>A flow list: <c>[a, b]</c>, or <c>[]</c>.</summary>
    public static string List<T>(IEnumerable<T> items, Func<T, string> formatItem) => $"[{string.Join(", ", items.Select(formatItem))}]";

    public static string Bool(bool value) => value ? "true" : "false";
}
