using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ServerlessCapi.EmbeddedApiServer.Auth;

/// <summary>A private CA and a loopback serving certificate it signs, made at start.</summary>
/// <remarks>kubectl (client-go) sends credentials only over TLS, so a bearer-token server must speak HTTPS; the
/// kubeconfig carries the CA so clients verify the server instead of skipping verification.</remarks>
public sealed class ServingCertificate : IDisposable
{
    private ServingCertificate(X509Certificate2 ca, X509Certificate2 leaf)
    {
        Authority = ca;
        Leaf = leaf;
    }

    /// <summary>The CA (public part only is ever handed out).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The serving certificate with its private key.</summary>
    public X509Certificate2 Leaf { get; }

    public string AuthorityPem => Authority.ExportCertificatePem();

    public static ServingCertificate Create()
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=scapi-embedded-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var caWithKey = caRequest.CreateSelfSigned(now, now.AddYears(10));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=scapi-embedded", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);
        san.AddDnsName("localhost");
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        using var leafPublic = leafRequest.Create(caWithKey, now, now.AddYears(10), serial);
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);
        // Round-trip through PKCS#12 so the key is usable by SslStream on every platform.
        var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
        var ca = X509CertificateLoader.LoadCertificate(caWithKey.RawData);
        return new ServingCertificate(ca, leaf);
    }

    /// <summary>The serving key pair (PKCS#12) and the CA (DER), to keep the same identity across restarts.</summary>
    public (byte[] Leaf, byte[] Authority) Export() => (Leaf.Export(X509ContentType.Pkcs12), Authority.RawData);

    public static ServingCertificate Import(byte[] leafPkcs12, byte[] authorityDer) =>
        new(X509CertificateLoader.LoadCertificate(authorityDer), X509CertificateLoader.LoadPkcs12(leafPkcs12, null));

    /// <summary>Validates a server certificate against this CA only (for HttpClient handlers).</summary>
    public bool Validate(X509Certificate2? presented)
    {
        if (presented is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Leaf.Dispose();
    }
}
