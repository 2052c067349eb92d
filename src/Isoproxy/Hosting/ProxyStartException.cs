namespace Isoproxy.Hosting;

/// <summary>The proxy could not start; the message says why and is shown to the operator.</summary>
public sealed class ProxyStartException(string message) : Exception(message);
