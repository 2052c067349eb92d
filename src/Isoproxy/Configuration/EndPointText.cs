using System.Globalization;
using System.Net;

namespace Isoproxy.Configuration;

/// <summary>A listener's <c>HOST:PORT</c>, as <c>listen.tcp</c> and <c>admin.tcp</c> write it.</summary>
internal static class EndPointText
{
    /// <summary>Strict HOST:PORT: no host names other than localhost, because listening must not depend on DNS.</summary>
    public static bool TryParse(string text, out IPEndPoint endPoint)
    {
        endPoint = new IPEndPoint(IPAddress.Loopback, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            return false;
        }
        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            return false;
        }
        IPAddress? address;
        if (host == "localhost")
        {
            address = IPAddress.Loopback;
        }
        else if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host[1..^1], out address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                return false;
            }
        }
        else if (!IpLiteral.TryParseIPv4(host, out address))
        {
            return false;
        }
        endPoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>The endpoint as it is written: <c>127.0.0.1:9000</c>, <c>[::1]:9000</c>.</summary>
    public static string Format(IPEndPoint endPoint) =>
        endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{endPoint.Address}:{endPoint.Port.ToString(CultureInfo.InvariantCulture)}";
}
