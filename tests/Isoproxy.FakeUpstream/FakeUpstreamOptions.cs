using System.Security.Cryptography.X509Certificates;

namespace Isoproxy.FakeUpstream;

/// <summary>How to start a <see cref="FakeUpstreamServer"/>; every setting has a test-friendly default.</summary>
public sealed class FakeUpstreamOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 (the default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// The CA to sign the server's leaf (when <see cref="ServerCertificate"/> is null) and whose PEM
    /// is published as <see cref="FakeUpstreamServer.CaFilePath"/>. A fresh one when null; the
    /// server disposes only a CA it created itself.
    /// </summary>
    public TestCertificateAuthority? Authority { get; init; }

    /// <summary>
    /// The TLS certificate (with private key) to serve, e.g. an expired or wrong-host leaf from
    /// <see cref="Authority"/>. When set without an Authority, the certificate itself is published
    /// as the CA file (a self-signed server). Not disposed by the server.
    /// </summary>
    public X509Certificate2? ServerCertificate { get; init; }

    /// <summary>Text of the default Anthropic responder's replies (null keeps its default).</summary>
    public string? ReplyText { get; init; }

    /// <summary>Serve the /_fake/ control endpoints (standalone mode); they are never recorded.</summary>
    public bool EnableControlEndpoints { get; init; }
}
