using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// A throw-away certificate authority made at run time, so TLS tests never depend on machine
/// state: the proxy under test is told to trust exactly this CA (or deliberately a different one).
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    // The CA is back-dated a year so expired leaves can still be issued inside its validity window
    // (CertificateRequest.Create refuses leaves that start before or end after their issuer).
    private static readonly TimeSpan CaBackdate = TimeSpan.FromDays(365);
    private static readonly TimeSpan CaLifetime = TimeSpan.FromDays(3650);

    private readonly ECDsa _key;

    public TestCertificateAuthority(string commonName = "Isoproxy Test CA")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        Certificate = request.CreateSelfSigned(now - CaBackdate, now + CaLifetime);
        CertificatePem = Certificate.ExportCertificatePem() + "\n";
    }

    /// <summary>The CA certificate (with its private key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The CA certificate in PEM form, as a client trust store would take it.</summary>
    public string CertificatePem { get; }

    /// <summary>
    /// Issues a TLS server certificate signed by this CA. The result carries its private key and
    /// has been round-tripped through PKCS#12, because on Linux SslStream cannot always use an
    /// ephemeral key attached with CopyWithPrivateKey.
    /// </summary>
    public X509Certificate2 IssueServerCertificate(
        string[] dnsNames,
        IPAddress[] ips,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(ips);
        if (dnsNames.Length == 0 && ips.Length == 0)
        {
            throw new ArgumentException("A server certificate needs at least one DNS name or IP address.");
        }

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = dnsNames.Length > 0 ? dnsNames[0] : ips[0].ToString();
        var request = new CertificateRequest($"CN={subject}", leafKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));

        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            san.AddDnsName(name);
        }

        foreach (var ip in ips)
        {
            san.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(san.Build());

        var serial = new byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F; // keep the serial number positive

        using var issued = request.Create(Certificate, notBefore, notAfter, serial);
        using var withKey = issued.CopyWithPrivateKey(leafKey);
        var pfx = withKey.Export(X509ContentType.Pkcs12, string.Empty);
        return X509CertificateLoader.LoadPkcs12(pfx, string.Empty, X509KeyStorageFlags.Exportable);
    }

    /// <summary>A leaf for localhost, 127.0.0.1 and ::1, valid from an hour ago for a day.</summary>
    public X509Certificate2 IssueLocalhostCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        return IssueServerCertificate(
            ["localhost"],
            [IPAddress.Loopback, IPAddress.IPv6Loopback],
            now.AddHours(-1),
            now.AddDays(1));
    }

    /// <summary>A leaf valid only for <paramref name="dnsName"/> (for name-mismatch tests).</summary>
    public X509Certificate2 IssueWrongHostCertificate(string dnsName = "wrong.example")
    {
        var now = DateTimeOffset.UtcNow;
        return IssueServerCertificate([dnsName], [], now.AddHours(-1), now.AddDays(1));
    }

    /// <summary>A localhost leaf whose validity ended yesterday.</summary>
    public X509Certificate2 IssueExpiredCertificate()
    {
        var now = DateTimeOffset.UtcNow;
        return IssueServerCertificate(
            ["localhost"],
            [IPAddress.Loopback, IPAddress.IPv6Loopback],
            now.AddDays(-30),
            now.AddDays(-1));
    }

    /// <summary>Writes the CA certificate as PEM (what SSL_CERT_FILE-style settings expect).</summary>
    public void WriteCaPem(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, CertificatePem);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
