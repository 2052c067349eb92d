using System.Net;
using System.Net.Sockets;

namespace Isoproxy.Security;

/// <summary>
/// Which addresses the proxy may dial. A pure function of the address, over the tables below, so
/// that a DNS answer can never point the proxy at the machine itself, the local network or a
/// cloud metadata service.
/// </summary>
/// <remarks>
/// IPv4-mapped IPv6 (<c>::ffff:a.b.c.d</c>) and NAT64 (<c>64:ff9b::a.b.c.d</c>) addresses are
/// judged by the IPv4 address they carry, because that is where the packets end up.
/// </remarks>
public static class AddressPolicy
{
    /// <summary>Never dialled, whatever the configuration says.</summary>
    private static readonly Range[] ForbiddenRanges =
    [
        new("0.0.0.0/8", "this-network (0.0.0.0/8; connects to the local machine)"),
        new("169.254.0.0/16", "link-local / cloud metadata (169.254.0.0/16)"),
        new("224.0.0.0/4", "multicast (224.0.0.0/4)"),
        new("240.0.0.0/4", "reserved or broadcast (240.0.0.0/4)"),
        new("::/128", "unspecified (::)"),
        new("fd00:ec2::254/128", "cloud metadata (fd00:ec2::254)"),
        new("fe80::/10", "link-local (fe80::/10)"),
        new("ff00::/8", "multicast (ff00::/8)"),
    ];

    /// <summary>Dialled only when the provider sets <c>unsafe_allow_private_addresses</c>, or names the address itself.</summary>
    private static readonly Range[] PrivateRanges =
    [
        new("127.0.0.0/8", "loopback (127.0.0.0/8)"),
        new("10.0.0.0/8", "private (10.0.0.0/8)"),
        new("172.16.0.0/12", "private (172.16.0.0/12)"),
        new("192.168.0.0/16", "private (192.168.0.0/16)"),
        new("100.64.0.0/10", "carrier-grade NAT (100.64.0.0/10)"),
        new("::1/128", "loopback (::1)"),
        new("fc00::/7", "unique-local (fc00::/7)"),
        new("fec0::/10", "site-local (fec0::/10)"),
    ];

    private static readonly Range Nat64 = new("64:ff9b::/96", "NAT64");

    public static AddressVerdict Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var effective = Unwrap(address);
        foreach (var range in ForbiddenRanges)
        {
            if (range.Contains(effective))
            {
                return new AddressVerdict(AddressClass.Forbidden, range.Description);
            }
        }
        foreach (var range in PrivateRanges)
        {
            if (range.Contains(effective))
            {
                return new AddressVerdict(AddressClass.Private, range.Description);
            }
        }
        return new AddressVerdict(AddressClass.Public, "public");
    }

    /// <summary>
    /// The reason <paramref name="address"/> may not be dialled, or null when it may.
    /// </summary>
    /// <param name="address">The address about to be dialled.</param>
    /// <param name="chosenByOperator">
    /// True for an IP-literal endpoint or a <c>resolve</c> pin: the operator wrote this exact
    /// address, so private ranges are allowed. Forbidden ranges are refused even then: no API
    /// lives on a link-local or metadata address, and a typo there must not reach one.
    /// </param>
    /// <param name="allowPrivate">The provider's <c>unsafe_allow_private_addresses</c>.</param>
    public static string? Refusal(IPAddress address, bool chosenByOperator, bool allowPrivate)
    {
        var verdict = Classify(address);
        return verdict.Class switch
        {
            AddressClass.Public => null,
            AddressClass.Private when chosenByOperator || allowPrivate => null,
            AddressClass.Private => $"{address} is {verdict.Reason}; set unsafe_allow_private_addresses or pin it with resolve to allow it",
            _ => $"{address} is {verdict.Reason}, which the proxy never connects to",
        };
    }

    /// <summary>The IPv4 address an IPv4-mapped or NAT64 IPv6 address carries; otherwise the address itself.</summary>
    private static IPAddress Unwrap(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }
        if (Nat64.Contains(address))
        {
            var bytes = address.GetAddressBytes();
            return new IPAddress(bytes.AsSpan(12, 4));
        }
        return address;
    }

    /// <summary>A CIDR block with the words used to name it.</summary>
    private sealed class Range(string cidr, string description)
    {
        private readonly IPNetwork _network = IPNetwork.Parse(cidr);

        public string Description => description;

        public bool Contains(IPAddress address) =>
            address.AddressFamily == _network.BaseAddress.AddressFamily && _network.Contains(address);
    }
}
