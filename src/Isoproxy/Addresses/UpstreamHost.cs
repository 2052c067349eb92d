using System.Net;

namespace Isoproxy.Addresses;

/// <summary>The host of a configured endpoint, as the address policy must see it.</summary>
public static class UpstreamHost
{
    /// <summary>
    /// The IP address <paramref name="host"/> names, or null for a DNS name. A trailing dot
    /// (<c>169.254.169.254.</c>) is removed first: resolvers treat such a name as the address
    /// itself, so it must be judged as one, at load and at connect.
    /// </summary>
    public static IPAddress? AsIPAddress(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var normalised = host.TrimEnd('.');
        if (normalised.StartsWith('[') && normalised.EndsWith(']'))
        {
            normalised = normalised[1..^1];
        }
        return IPAddress.TryParse(normalised, out var address) ? address : null;
    }
}
