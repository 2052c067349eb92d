using System.Net;
using System.Net.Sockets;

namespace Isoproxy.Configuration;

/// <summary>
/// Strict IP literal parsing. <see cref="IPAddress.TryParse(string, out IPAddress)"/> also accepts
/// forms such as <c>1</c> or <c>0x7f.1</c>, which would make a typo a valid, surprising address.
/// </summary>
internal static class IpLiteral
{
    /// <summary>Dotted-quad IPv4 (<c>203.0.113.7</c>) only.</summary>
    public static bool TryParseIPv4(string text, out IPAddress address)
    {
        address = IPAddress.None;
        var parts = text.Split('.');
        // Leading zeros are refused because some parsers read them as octal.
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || (p.Length > 1 && p[0] == '0')))
        {
            return false;
        }
        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }
        address = parsed;
        return true;
    }

    /// <summary>Dotted-quad IPv4 or an IPv6 literal without brackets.</summary>
    public static bool TryParse(string text, out IPAddress address)
    {
        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6)
            {
                address = parsed;
                return true;
            }
            address = IPAddress.None;
            return false;
        }
        return TryParseIPv4(text, out address);
    }
}
