namespace Isoproxy.Addresses;

/// <summary>The address policy's verdict on one address, with the reason that goes into the error message.</summary>
/// <param name="Class">The address's class.</param>
/// <param name="Reason">The range it falls in, e.g. <c>loopback (127.0.0.0/8)</c>.</param>
public sealed record AddressVerdict(AddressClass Class, string Reason);
