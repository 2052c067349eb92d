using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Isoproxy.Configuration;
using Isoproxy.Security;

namespace Isoproxy.Forwarding;

/// <summary>
/// One connection pool per provider, with every default that could add, change or redirect
/// anything turned off.
/// </summary>
public static class UpstreamClientFactory
{
    public static HttpMessageInvoker Create(ProviderConfig provider, LimitsConfig limits)
    {
        var handler = new SocketsHttpHandler
        {
            // HTTPS_PROXY and friends must not reroute the chokepoint's traffic.
            UseProxy = false,
            // A redirect would leave the allowlist; the client sees the 3xx instead.
            AllowAutoRedirect = false,
            // Bytes and Content-Encoding travel together, untouched.
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            // No traceparent/tracestate: the proxy adds no headers of its own.
            ActivityHeadersPropagator = null,
            // TCP connect plus TLS handshake.
            ConnectTimeout = limits.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            EnableMultipleHttp2Connections = true,
            MaxResponseHeadersLength = 64,
            // A response the proxy stops relaying (a bound crossed, the client gone) is closed, never
            // drained for connection reuse: draining would keep the upstream generating and billing.
            MaxResponseDrainSize = 0,
            // Only addresses the address policy allows are dialled, and nothing but the configured host is resolved.
            ConnectCallback = new UpstreamConnector(provider).ConnectAsync,
            SslOptions = new SslClientAuthenticationOptions
            {
                // With a ca_file, the handshake builds the chain against that CA alone: the system
                // trust store is never loaded (loading it costs most of the start-up time).
                CertificateChainPolicy = provider.CaFile is null ? null : CreatePinnedCaPolicy(provider.CaFile),
            },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>
    /// Trusts exactly the CA certificates in <paramref name="caFile"/>. The handshake still checks
    /// the host name, and intermediates the server sends may complete the path but are never
    /// trusted as roots.
    /// </summary>
    private static X509ChainPolicy CreatePinnedCaPolicy(string caFile)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.ImportFromPemFile(caFile);
        return policy;
    }
}
