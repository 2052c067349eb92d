namespace Isoproxy.Configuration;

/// <summary>
/// Whether a text from the configuration may be repeated in an error message. A key pasted into
/// the wrong field must not reach stderr, so only texts shaped like names are echoed: short, made
/// of name characters, and in every part (between '_', '-' and '.') without random-looking case
/// changes, long digit runs, or long runs that mix letters and digits. API keys fail these tests.
/// </summary>
internal static class ConfigEcho
{
    private const int MaxLength = 40;
    private const int MaxPartWithDigits = 15;
    private const int MaxDigitRun = 7;

    public static bool IsSafe(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length is 0 or > MaxLength || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            return false;
        }
        return text.Split('_', '-', '.').All(IsNameLikePart);
    }

    /// <summary><paramref name="text"/> in quotes when it is safe to show, else a placeholder.</summary>
    public static string Quote(string text) => IsSafe(text) ? $"\"{text}\"" : "(value not shown: it may be a secret)";

    private static bool IsNameLikePart(string part)
    {
        if (part.Length > MaxPartWithDigits && part.Any(char.IsAsciiDigit))
        {
            return false;
        }
        var digitRun = 0;
        for (var i = 0; i < part.Length; i++)
        {
            digitRun = char.IsAsciiDigit(part[i]) ? digitRun + 1 : 0;
            // "Anthropic" and "CONFIG" are names; "AbCdEf" is not.
            var caseFlip = i > 0 && char.IsAsciiLetterUpper(part[i]) && char.IsAsciiLetterLower(part[i - 1]);
            if (digitRun > MaxDigitRun || caseFlip)
            {
                return false;
            }
        }
        return true;
    }
}
