using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.Bootstrap;
using ServerlessCapi.Providers.Ownership;

namespace ServerlessCapi.Providers.ControlPlane;

/// <summary>The cluster certificates a KubeadmControlPlane keeps in Secrets, as CAPI names and lays them out:
/// <c>&lt;cluster&gt;-ca</c> (Kubernetes CA), <c>-etcd</c> (etcd CA), <c>-proxy</c> (front proxy CA), each with
/// <c>tls.crt</c>/<c>tls.key</c>, and <c>-sa</c>, the service-account signing key pair (public key in
/// <c>tls.crt</c>).</summary>
/// <remarks>Generated once with .NET's certificate APIs and never regenerated: every node's certificates chain
/// to them. The private keys live only in the Secrets' data; nothing here logs or returns them otherwise.</remarks>
public static class ClusterCertificates
{
    public const string CertificateKey = "tls.crt";
    public const string PrivateKeyKey = "tls.key";

    /// <summary>CAPI's default CA validity (ten years) when <c>caCertificateValidityPeriodDays</c> is not set.</summary>
    public const int DefaultCaValidityDays = 3650;

    /// <summary>The four purposes, by the suffix of their Secret's name.</summary>
    public static readonly IReadOnlyList<CertificatePurpose> All =
    [
        new("ca", "kubernetes"),
        new("etcd", "etcd-ca"),
        new("proxy", "front-proxy-ca"),
        new("sa", null),
    ];

    public static string SecretName(string clusterName, CertificatePurpose purpose) => $"{clusterName}-{purpose.Suffix}";

    /// <summary>A new Secret for one purpose: a self-signed CA (or, for <c>sa</c>, a bare key pair) with the
    /// configured key algorithm and CA validity, controlled by the control plane.</summary>
    public static V1Secret Generate(CertificatePurpose purpose, string clusterName, KubeadmControlPlane kcp, DateTimeOffset now)
    {
        var configuration = kcp.Spec.KubeadmConfigSpec?.ClusterConfiguration;
        var algorithm = configuration?.EncryptionAlgorithm ?? "RSA-2048";
        var days = configuration?.CaCertificateValidityPeriodDays ?? DefaultCaValidityDays;
        var (certificate, key) = purpose.CommonName is { } cn ? SelfSignedCa(cn, algorithm, days, now) : KeyPair(algorithm);
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = SecretName(clusterName, purpose),
                NamespaceProperty = kcp.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = clusterName },
                OwnerReferences = [OwnerRefs.For(CapiGroups.ControlPlaneApiVersion, KubeadmControlPlane.KubeKind, kcp.Metadata, controller: true)],
            },
            Type = BootstrapSecret.SecretType,
            Data = new Dictionary<string, byte[]>
            {
                [CertificateKey] = Encoding.ASCII.GetBytes(certificate),
                [PrivateKeyKey] = Encoding.ASCII.GetBytes(key),
            },
        };
    }

    /// <summary>The certificate of a CA Secret, or null when it holds none that parses.</summary>
    public static X509Certificate2? Certificate(V1Secret secret)
    {
        if (secret.Data?.TryGetValue(CertificateKey, out var pem) != true)
            return null;
        try
        {
            return X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem!));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static (string Certificate, string Key) SelfSignedCa(string commonName, string algorithm, int days, DateTimeOffset now)
    {
        var subject = new X500DistinguishedName($"CN={commonName}");
        using var key = CreateKey(algorithm);
        var request = key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, algorithm == "ECDSA-P384" ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // A little back-dating absorbs clock skew between the management cluster and new nodes.
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(days));
        return (certificate.ExportCertificatePem(), PrivateKeyPem(key));
    }

    private static (string PublicKey, string PrivateKey) KeyPair(string algorithm)
    {
        using var key = CreateKey(algorithm);
        return (key.ExportSubjectPublicKeyInfoPem(), PrivateKeyPem(key));
    }

    private static AsymmetricAlgorithm CreateKey(string algorithm) => algorithm switch
    {
        "ECDSA-P256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        "ECDSA-P384" => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        "RSA-3072" => RSA.Create(3072),
        "RSA-4096" => RSA.Create(4096),
        _ => RSA.Create(2048),
    };

    /// <summary>PKCS#1 for RSA and SEC 1 for EC keys, the PEM forms kubeadm reads.</summary>
    private static string PrivateKeyPem(AsymmetricAlgorithm key) => key switch
    {
        RSA rsa => rsa.ExportRSAPrivateKeyPem(),
        ECDsa ec => ec.ExportECPrivateKeyPem(),
        _ => throw new NotSupportedException(key.GetType().Name),
    };
}

/// <summary>One cluster certificate: its Secret's name suffix and, for a CA, its subject's common name.</summary>
public sealed record CertificatePurpose(string Suffix, string? CommonName);
