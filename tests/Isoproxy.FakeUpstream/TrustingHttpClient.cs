using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// HttpClients that trust exactly one test CA (and nothing from the machine store), with host
/// name and validity checks left on, so TLS tests prove what a strict client would accept.
/// </summary>
public static class TrustingHttpClient
{
    /// <summary>An HttpClient trusting only the CA(s) in <paramref name="caPemPath"/>.</summary>
    /// <param name="caPemPath">PEM file with one or more CA certificates.</param>
    /// <param name="version">HTTP version to request exactly (default 1.1; pass <see cref="HttpVersion.Version20"/> for HTTP/2).</param>
    public static HttpClient Create(string caPemPath, Version? version = null)
    {
        var client = new HttpClient(CreateHandler(caPemPath), disposeHandler: true)
        {
            DefaultRequestVersion = version ?? HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        return client;
    }

    /// <summary>A handler with the custom trust, for tests that need other handler settings too.</summary>
    public static SocketsHttpHandler CreateHandler(string caPemPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(caPemPath);
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(caPemPath);
        return new SocketsHttpHandler
        {
            // Relay tests compare bytes as sent; never let the client decompress.
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseProxy = false,
            // Disposing an unfinished response closes the connection at once instead of draining it
            // for up to 2 s, so "the client went away" is visible to the upstream immediately.
            MaxResponseDrainSize = 0,
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = CreateValidator(roots),
            },
        };
    }

    /// <summary>A validation callback accepting only chains that end at one of <paramref name="roots"/>.</summary>
    public static RemoteCertificateValidationCallback CreateValidator(X509Certificate2Collection roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        return (_, certificate, chain, errors) =>
        {
            // Name mismatch or a missing certificate are never acceptable; chain errors are expected
            // (the test CA is not in the machine store) and re-checked against the custom roots.
            if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None || certificate is null)
            {
                return false;
            }

            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            return custom.Build(leaf);
        };
    }
}
