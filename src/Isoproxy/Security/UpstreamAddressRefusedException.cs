namespace Isoproxy.Security;

/// <summary>The upstream host resolved only to addresses the proxy is not allowed to dial.</summary>
public sealed class UpstreamAddressRefusedException(string message) : IOException(message);
