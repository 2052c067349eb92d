using System.Globalization;
using System.Text.RegularExpressions;

namespace Isoproxy.Configuration;

/// <summary>
/// Byte sizes as written in the configuration: a plain integer (bytes) or a number followed by
/// <c>B</c>, <c>KB</c>, <c>MB</c> or <c>GB</c>, 1024-based and case-insensitive, with an
/// optional space (<c>5MB</c>, <c>5 mb</c>, <c>1.5KB</c>). The result must be a whole, positive
/// number of bytes.
/// </summary>
public static partial class SizeParser
{
    private const long Kilo = 1024;
    private const long Mega = 1024 * Kilo;
    private const long Giga = 1024 * Mega;

    /// <summary>Parses <paramref name="text"/>; false for anything else, including zero and overflow.</summary>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var match = SizePattern().Match(text);
        if (!match.Success)
        {
            return false;
        }
        var multiplier = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => Kilo,
            "MB" => Mega,
            _ => Giga,
        };
        var number = match.Groups["number"].Value;
        // A bare number is a count of bytes, so it must be an integer; with a unit a fraction
        // is fine as long as it comes to whole bytes (1.5KB = 1536).
        if (match.Groups["unit"].Value.Length == 0 && number.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }
        try
        {
            var total = value * multiplier;
            if (total <= 0 || total != decimal.Truncate(total) || total > long.MaxValue)
            {
                return false;
            }
            bytes = (long)total;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The shortest exact spelling of <paramref name="bytes"/>: <c>5MB</c>, <c>1536KB</c> or <c>1000</c>.</summary>
    public static string Format(long bytes)
    {
        foreach (var (unit, size) in new[] { ("GB", Giga), ("MB", Mega), ("KB", Kilo) })
        {
            if (bytes != 0 && bytes % size == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / size}{unit}");
            }
        }
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^(?<number>[0-9]+(\.[0-9]+)?)(?: ?(?<unit>[KMG]?B))?\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
