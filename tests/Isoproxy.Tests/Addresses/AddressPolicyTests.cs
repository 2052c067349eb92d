using System.Net;
using Isoproxy.Addresses;
using Xunit;

namespace Isoproxy.Tests.Addresses;

/// <summary>The pure address policy, one row per range (no address here is ever dialled).</summary>
public sealed class AddressPolicyTests
{
    [Theory]
    // Public unicast (documentation ranges stand in for real API addresses).
    [InlineData("203.0.113.7", AddressClass.Public)]
    [InlineData("8.8.8.8", AddressClass.Public)]
    [InlineData("2001:db8::7", AddressClass.Public)]
    [InlineData("172.32.0.1", AddressClass.Public)]
    [InlineData("100.128.0.1", AddressClass.Public)]
    // Loopback, private, CGNAT, unique-local.
    [InlineData("127.0.0.1", AddressClass.Private)]
    [InlineData("127.255.255.254", AddressClass.Private)]
    [InlineData("10.1.2.3", AddressClass.Private)]
    [InlineData("172.16.0.1", AddressClass.Private)]
    [InlineData("172.31.255.255", AddressClass.Private)]
    [InlineData("192.168.1.1", AddressClass.Private)]
    [InlineData("100.64.0.1", AddressClass.Private)]
    [InlineData("100.127.255.255", AddressClass.Private)]
    [InlineData("::1", AddressClass.Private)]
    [InlineData("fd12:3456::1", AddressClass.Private)]
    [InlineData("fec0::1", AddressClass.Private)]
    // Link-local and cloud metadata: never.
    [InlineData("169.254.169.254", AddressClass.Forbidden)]
    [InlineData("169.254.0.1", AddressClass.Forbidden)]
    [InlineData("fd00:ec2::254", AddressClass.Forbidden)]
    [InlineData("fe80::1", AddressClass.Forbidden)]
    [InlineData("fe80::1%1", AddressClass.Forbidden)]
    [InlineData("febf::1", AddressClass.Forbidden)]
    // Unspecified, this-network, multicast, reserved, broadcast: never.
    [InlineData("0.0.0.0", AddressClass.Forbidden)]
    [InlineData("0.1.2.3", AddressClass.Forbidden)]
    [InlineData("::", AddressClass.Forbidden)]
    [InlineData("224.0.0.1", AddressClass.Forbidden)]
    [InlineData("255.255.255.255", AddressClass.Forbidden)]
    [InlineData("ff02::1", AddressClass.Forbidden)]
    // IPv4 inside IPv6 is judged by the IPv4 address.
    [InlineData("::ffff:169.254.169.254", AddressClass.Forbidden)]
    [InlineData("::ffff:127.0.0.1", AddressClass.Private)]
    [InlineData("::ffff:10.0.0.1", AddressClass.Private)]
    [InlineData("::ffff:203.0.113.7", AddressClass.Public)]
    [InlineData("64:ff9b::a9fe:a9fe", AddressClass.Forbidden)]
    [InlineData("64:ff9b::7f00:1", AddressClass.Private)]
    [InlineData("64:ff9b::cb00:7107", AddressClass.Public)]
    // Cloud metadata outside 169.254.0.0/16, one row per address.
    [InlineData("100.100.100.200", AddressClass.Forbidden)]
    [InlineData("168.63.129.16", AddressClass.Forbidden)]
    [InlineData("192.0.0.192", AddressClass.Forbidden)]
    [InlineData("fd00:ec2::23", AddressClass.Forbidden)]
    [InlineData("fd20:ce::254", AddressClass.Forbidden)]
    [InlineData("169.254.170.2", AddressClass.Forbidden)]
    [InlineData("169.254.0.23", AddressClass.Forbidden)]
    // Neighbours of those addresses are what they were.
    [InlineData("100.100.100.201", AddressClass.Private)]
    [InlineData("168.63.129.17", AddressClass.Public)]
    [InlineData("fd20:ce::253", AddressClass.Private)]
    // IETF protocol assignments, benchmarking / fake-IP, Teredo.
    [InlineData("192.0.0.1", AddressClass.Forbidden)]
    [InlineData("192.0.0.170", AddressClass.Forbidden)]
    [InlineData("192.0.1.1", AddressClass.Public)]
    [InlineData("198.18.0.1", AddressClass.Private)]
    [InlineData("198.19.255.254", AddressClass.Private)]
    [InlineData("198.20.0.1", AddressClass.Public)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressClass.Forbidden)]
    [InlineData("2001:1::1", AddressClass.Public)]
    // Every other IPv6 form with an IPv4 address inside is judged by that address.
    [InlineData("::169.254.169.254", AddressClass.Forbidden)]
    [InlineData("::127.0.0.1", AddressClass.Private)]
    [InlineData("::203.0.113.7", AddressClass.Public)]
    [InlineData("::ffff:0:169.254.169.254", AddressClass.Forbidden)]
    [InlineData("::ffff:0:10.0.0.1", AddressClass.Private)]
    [InlineData("::ffff:0:203.0.113.7", AddressClass.Public)]
    [InlineData("64:ff9b:1::a9fe:a9fe", AddressClass.Forbidden)]
    [InlineData("64:ff9b:1::c0a8:101", AddressClass.Private)]
    [InlineData("64:ff9b:1::cb00:7107", AddressClass.Public)]
    [InlineData("64:ff9b:1:a9fe:a9:fe00::", AddressClass.Forbidden)]
    [InlineData("64:ff9b:1:1:ff00::1", AddressClass.Forbidden)]
    [InlineData("2002:a9fe:a9fe::1", AddressClass.Forbidden)]
    [InlineData("2002:7f00:1::1", AddressClass.Private)]
    [InlineData("2002:cb00:7107::1", AddressClass.Public)]
    public void Classify_Address_ExpectedClass(string address, AddressClass expected)
    {
        var verdict = AddressPolicy.Classify(IPAddress.Parse(address));

        Assert.Equal(expected, verdict.Class);
    }

    [Theory]
    // From DNS: only public addresses, unless the provider allows private ones.
    [InlineData("203.0.113.7", false, false, null)]
    [InlineData("127.0.0.1", false, false, "127.0.0.1 is loopback (127.0.0.0/8); set unsafe_allow_private_addresses or pin it with resolve to allow it")]
    [InlineData("100.64.0.1", false, false, "100.64.0.1 is carrier-grade NAT (100.64.0.0/10); set unsafe_allow_private_addresses or pin it with resolve to allow it")]
    [InlineData("10.0.0.1", false, true, null)]
    [InlineData("169.254.169.254", false, true, "169.254.169.254 is link-local / cloud metadata (169.254.0.0/16), which the proxy never connects to")]
    // Named by the operator (resolve pin or IP-literal endpoint): private allowed, forbidden still refused.
    [InlineData("127.0.0.1", true, false, null)]
    [InlineData("192.168.1.1", true, false, null)]
    [InlineData("fd00:ec2::254", true, false, "fd00:ec2::254 is cloud metadata (AWS, fd00:ec2::/32), which the proxy never connects to")]
    [InlineData("fe80::1", true, true, "fe80::1 is link-local (fe80::/10), which the proxy never connects to")]
    // Metadata is refused pinned or not, private allowed or not.
    [InlineData("100.100.100.200", true, true, "100.100.100.200 is cloud metadata (Alibaba Cloud, 100.100.100.200), which the proxy never connects to")]
    [InlineData("168.63.129.16", true, true, "168.63.129.16 is cloud metadata (Azure WireServer, 168.63.129.16), which the proxy never connects to")]
    [InlineData("fd20:ce::254", true, true, "fd20:ce::254 is cloud metadata (GCP, fd20:ce::254), which the proxy never connects to")]
    [InlineData("2002:a9fe:a9fe::1", true, true, "2002:a9fe:a9fe::1 is link-local / cloud metadata (169.254.0.0/16), carried as 169.254.169.254, which the proxy never connects to")]
    [InlineData("198.18.0.1", false, false, "198.18.0.1 is benchmarking / local fake-IP (198.18.0.0/15); set unsafe_allow_private_addresses or pin it with resolve to allow it")]
    public void Refusal_AddressAndSettings_ExpectedReason(string address, bool chosenByOperator, bool allowPrivate, string? expected)
    {
        var refusal = AddressPolicy.Refusal(IPAddress.Parse(address), chosenByOperator, allowPrivate);

        Assert.Equal(expected, refusal);
    }
}
