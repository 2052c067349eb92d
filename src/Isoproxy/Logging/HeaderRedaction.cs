using System.Collections.Frozen;

namespace Isoproxy.Logging;

/// <summary>What debug logging may show of a header.</summary>
public static class HeaderRedaction
{
    public const string Redacted = "[redacted]";

    /// <summary>Headers whose values are credentials in either direction.</summary>
    private static readonly FrozenSet<string> SecretHeaders = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "x-api-key",
        "authorization",
        "proxy-authorization",
        "cookie",
        "set-cookie");

    public static string Value(string name, string value) => SecretHeaders.Contains(name) ? Redacted : value;
}
