namespace Isoproxy.Addresses;

/// <summary>What kind of address an upstream connection would go to; decides whether it may be dialled.</summary>
public enum AddressClass
{
    /// <summary>A global unicast address: what a public API endpoint resolves to.</summary>
    Public,

    /// <summary>Loopback, private (RFC 1918, unique-local) or CGNAT: refused from DNS unless the provider allows it.</summary>
    Private,

    /// <summary>Link-local, cloud metadata, unspecified, multicast or reserved: never dialled.</summary>
    Forbidden,
}
