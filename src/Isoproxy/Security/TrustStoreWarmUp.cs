using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Isoproxy.Security;

/// <summary>
/// Loads the system certificate store on a background thread while the proxy starts.
/// </summary>
/// <remarks>
/// On Linux every certificate chain build loads the whole system store on first use, even one
/// that trusts only a provider's <c>ca_file</c>: without this the first upstream handshake waits
/// for it (most of the time from start to the first answered request). Nothing is trusted or
/// decided here; a failure only means the first handshake loads the store itself.
/// </remarks>
public static class TrustStoreWarmUp
{
    public static void Start() => _ = Task.Run(BuildThrowAwayChain);

    private static void BuildThrowAwayChain()
    {
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=isoproxy trust store warm-up", key, HashAlgorithmName.SHA256);
            var now = DateTimeOffset.UtcNow;
            using var certificate = request.CreateSelfSigned(now, now.AddMinutes(1));
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.Build(certificate);
        }
        catch (CryptographicException)
        {
            // Best effort: the first handshake will load the store instead.
        }
    }
}
