using System.Net.Sockets;

namespace Isoproxy.Security;

/// <summary>The configured upstream host name did not resolve.</summary>
public sealed class UpstreamDnsFailedException(string host, SocketException inner)
    : IOException($"the upstream host {host} did not resolve ({inner.SocketErrorCode})", inner);
