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
                RemoteCertificateValidationCallback = provider.CaFile is null ? null : CreatePinnedCaValidator(provider.CaFile),
            },
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>Trusts exactly the CA certificates in <paramref name="caFile"/>, and still checks the host name.</summary>
    private static RemoteCertificateValidationCallback CreatePinnedCaValidator(string caFile)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caFile);

        return (_, certificate, presentedChain, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch)
                || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(roots);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (presentedChain is not null)
            {
                // Intermediates the server sent may complete the path; they are never trusted as roots.
                foreach (var element in presentedChain.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }
            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return chain.Build(leaf);
        };
    }
}
