using System.Net;
using System.Net.Sockets;

namespace Isoproxy.Addresses;

/// <summary>
/// Which addresses the proxy may dial. A pure function of the address, over the tables below, so
/// that a DNS answer can never point the proxy at the machine itself, the local network or a
/// cloud metadata service.
/// </summary>
/// <remarks>
/// Every IPv6 form that carries an IPv4 address is judged by the IPv4 address, because that is
/// where the packets end up: IPv4-mapped <c>::ffff:a.b.c.d</c>, IPv4-translated
/// <c>::ffff:0:a.b.c.d</c>, IPv4-compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c> and
/// <c>64:ff9b:1::/48</c>, and 6to4 <c>2002::/16</c>.
/// </remarks>
public static class AddressPolicy
{
    /// <summary>Never dialled, whatever the configuration says: no API is served from these.</summary>
    private static readonly Range[] ForbiddenRanges =
    [
        new("0.0.0.0/8", "this-network (0.0.0.0/8; connects to the local machine)"),
        // AWS, GCP, Azure, Oracle, DigitalOcean, Hetzner, OpenStack and IBM Cloud serve instance
        // metadata at 169.254.169.254 (each provider's instance-metadata documentation); AWS ECS
        // task metadata is 169.254.170.2, EKS Pod Identity 169.254.170.23, Tencent Cloud's
        // metadata 169.254.0.23: all inside this block.
        new("169.254.0.0/16", "link-local / cloud metadata (169.254.0.0/16)"),
        // Alibaba Cloud ECS instance metadata (Alibaba Cloud documentation, "Instance metadata").
        new("100.100.100.200/32", "cloud metadata (Alibaba Cloud, 100.100.100.200)"),
        // Azure WireServer / host virtual IP (Microsoft Learn, "What is IP address 168.63.129.16?").
        new("168.63.129.16/32", "cloud metadata (Azure WireServer, 168.63.129.16)"),
        // IETF protocol assignments (RFC 6890): DS-Lite, NAT64 discovery, and Oracle Cloud
        // Classic's instance metadata at 192.0.0.192 (Oracle documentation). Not an API's address.
        new("192.0.0.0/24", "IETF protocol assignments / cloud metadata (192.0.0.0/24)"),
        new("224.0.0.0/4", "multicast (224.0.0.0/4)"),
        new("240.0.0.0/4", "reserved or broadcast (240.0.0.0/4)"),
        new("::/128", "unspecified (::)"),
        // AWS instance services over IPv6: IMDS fd00:ec2::254, DNS ::253, time ::123, EKS Pod
        // Identity ::23 (AWS EC2 and EKS documentation).
        new("fd00:ec2::/32", "cloud metadata (AWS, fd00:ec2::/32)"),
        // GCP metadata server over IPv6 (Google Cloud documentation, "About VM metadata").
        new("fd20:ce::254/128", "cloud metadata (GCP, fd20:ce::254)"),
        // Teredo (RFC 4380) hides the IPv4 address that is really reached behind an obfuscated
        // form, and no API is served over it.
        new("2001::/32", "Teredo tunnel (2001::/32; hides the IPv4 address reached)"),
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
        // Benchmarking networks (RFC 2544), also handed out by local "fake-IP" DNS of transparent
        // proxies: an answer here points at the local network, not at a public API.
        new("198.18.0.0/15", "benchmarking / local fake-IP (198.18.0.0/15)"),
        new("::1/128", "loopback (::1)"),
        new("fc00::/7", "unique-local (fc00::/7)"),
        new("fec0::/10", "site-local (fec0::/10)"),
    ];

    /// <summary>Prefixes whose addresses end in an embedded IPv4 address (the last four bytes).</summary>
    private static readonly IPNetwork[] TrailingIPv4Prefixes =
    [
        // IPv4-translated (RFC 2765).
        IPNetwork.Parse("::ffff:0:0:0/96"),
        // Well-known NAT64 prefix (RFC 6052).
        IPNetwork.Parse("64:ff9b::/96"),
        // IPv4-compatible (RFC 4291, deprecated); :: and ::1 are handled by the tables first.
        IPNetwork.Parse("::/96"),
    ];

    /// <summary>Local-use NAT64 (RFC 8215); the operator picks the prefix length, so every RFC 6052 position is judged.</summary>
    private static readonly IPNetwork LocalNat64 = IPNetwork.Parse("64:ff9b:1::/48");

    /// <summary>RFC 6052 §2.2: where the IPv4 bytes sit for prefix lengths /48, /56, /64 and /96 (byte 8 is always zero).</summary>
    private static readonly int[][] LocalNat64Positions =
    [
        [6, 7, 9, 10],
        [7, 9, 10, 11],
        [9, 10, 11, 12],
        [12, 13, 14, 15],
    ];

    /// <summary>6to4 (RFC 3056): the relay's IPv4 address is bytes 2–5.</summary>
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static AddressVerdict Classify(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var direct = ClassifyByTables(address);
        if (direct is not null)
        {
            return direct;
        }
        var embedded = EmbeddedIPv4(address);
        if (embedded.Count == 0)
        {
            return new AddressVerdict(AddressClass.Public, "public");
        }
        // Several candidate positions (local-use NAT64): the strictest verdict wins.
        var strictest = new AddressVerdict(AddressClass.Public, "public");
        foreach (var ipv4 in embedded)
        {
            var verdict = ClassifyByTables(ipv4) ?? new AddressVerdict(AddressClass.Public, "public");
            if (verdict.Class > strictest.Class)
            {
                strictest = verdict with { Reason = $"{verdict.Reason}, carried as {ipv4}" };
            }
        }
        return strictest;
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

    /// <summary>The verdict of the first table that holds the address itself, or null when none does.</summary>
    private static AddressVerdict? ClassifyByTables(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var range in ForbiddenRanges)
        {
            if (range.Contains(address))
            {
                return new AddressVerdict(AddressClass.Forbidden, range.Description);
            }
        }
        foreach (var range in PrivateRanges)
        {
            if (range.Contains(address))
            {
                return new AddressVerdict(AddressClass.Private, range.Description);
            }
        }
        return null;
    }

    /// <summary>The IPv4 addresses an IPv6 address may carry; empty when it carries none.</summary>
    private static List<IPAddress> EmbeddedIPv4(IPAddress address)
    {
        var found = new List<IPAddress>();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return found;
        }
        var bytes = address.GetAddressBytes();
        if (TrailingIPv4Prefixes.Any(prefix => prefix.Contains(address)))
        {
            found.Add(new IPAddress(bytes.AsSpan(12, 4)));
        }
        else if (SixToFour.Contains(address))
        {
            found.Add(new IPAddress(bytes.AsSpan(2, 4)));
        }
        else if (LocalNat64.Contains(address))
        {
            // A position fits when byte 8 and every byte after the IPv4 address are zero (RFC 6052).
            foreach (var positions in LocalNat64Positions)
            {
                if (bytes[8] == 0 && bytes.AsSpan(positions[^1] + 1).IndexOfAnyExcept((byte)0) < 0)
                {
                    found.Add(new IPAddress(positions.Select(i => bytes[i]).ToArray()));
                }
            }
            if (found.Count == 0)
            {
                // No valid RFC 6052 form: the IPv4 address reached cannot be known, so assume the worst.
                found.Add(IPAddress.Any);
            }
        }
        return found;
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
