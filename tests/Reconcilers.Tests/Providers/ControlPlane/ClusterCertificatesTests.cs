using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.ControlPlane;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.ControlPlane;

public class ClusterCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static Api.KubeadmControlPlane Kcp(string? algorithm = null, int? caDays = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "c1-cp", NamespaceProperty = "ns", Uid = "kcp-uid" },
        Spec = new KubeadmControlPlaneSpec
        {
            KubeadmConfigSpec = new KubeadmConfigSpec
            {
                ClusterConfiguration = new ClusterConfiguration { EncryptionAlgorithm = algorithm, CaCertificateValidityPeriodDays = caDays },
            },
        },
    };

    private static CertificatePurpose Purpose(string suffix) => ClusterCertificates.All.Single(p => p.Suffix == suffix);

    [Theory]
    [InlineData("ca", "CN=kubernetes")]
    [InlineData("etcd", "CN=etcd-ca")]
    [InlineData("proxy", "CN=front-proxy-ca")]
    public void A_ca_secret_holds_a_self_signed_ca_and_its_key_as_capi_lays_it_out(string suffix, string subject)
    {
        var secret = ClusterCertificates.Generate(Purpose(suffix), "c1", Kcp(), Now);

        secret.Metadata.Name.ShouldBe($"c1-{suffix}");
        secret.Type.ShouldBe("cluster.x-k8s.io/secret");
        secret.Metadata.Labels["cluster.x-k8s.io/cluster-name"].ShouldBe("c1");
        var owner = secret.Metadata.OwnerReferences.ShouldHaveSingleItem();
        (owner.Kind, owner.Uid, owner.Controller).ShouldBe(("KubeadmControlPlane", "kcp-uid", true));
        secret.Data.Keys.Order().ShouldBe(["tls.crt", "tls.key"]);

        using var certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["tls.crt"]), Encoding.ASCII.GetString(secret.Data["tls.key"]));
        certificate.Subject.ShouldBe(subject);
        certificate.Issuer.ShouldBe(subject);
        certificate.HasPrivateKey.ShouldBeTrue();
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority.ShouldBeTrue();
        certificate.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign).ShouldBeTrue();
        certificate.NotAfter.ToUniversalTime().ShouldBe(Now.AddDays(3650).UtcDateTime, TimeSpan.FromSeconds(1));
        certificate.GetRSAPublicKey()!.KeySize.ShouldBe(2048);
        Encoding.ASCII.GetString(secret.Data["tls.key"]).ShouldStartWith("-----BEGIN RSA PRIVATE KEY-----");
    }

    [Fact]
    public void The_encryption_algorithm_and_ca_validity_of_the_cluster_configuration_are_used()
    {
        var secret = ClusterCertificates.Generate(Purpose("ca"), "c1", Kcp("ECDSA-P256", 730), Now);

        using var certificate = ClusterCertificates.Certificate(secret)!;
        certificate.GetECDsaPublicKey().ShouldNotBeNull().KeySize.ShouldBe(256);
        certificate.NotAfter.ToUniversalTime().ShouldBe(Now.AddDays(730).UtcDateTime, TimeSpan.FromSeconds(1));
        Encoding.ASCII.GetString(secret.Data["tls.key"]).ShouldStartWith("-----BEGIN EC PRIVATE KEY-----");
    }

    [Fact]
    public void The_service_account_secret_is_a_key_pair_whose_public_half_matches()
    {
        var secret = ClusterCertificates.Generate(Purpose("sa"), "c1", Kcp(), Now);

        secret.Metadata.Name.ShouldBe("c1-sa");
        var publicPem = Encoding.ASCII.GetString(secret.Data["tls.crt"]);
        publicPem.ShouldStartWith("-----BEGIN PUBLIC KEY-----");
        using var privateKey = RSA.Create();
        privateKey.ImportFromPem(Encoding.ASCII.GetString(secret.Data["tls.key"]));
        using var publicKey = RSA.Create();
        publicKey.ImportFromPem(publicPem);
        var data = Encoding.UTF8.GetBytes("token");
        publicKey.VerifyData(data, privateKey.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .ShouldBeTrue();
    }

    [Fact]
    public void Each_generation_makes_new_keys()
    {
        var a = ClusterCertificates.Generate(Purpose("ca"), "c1", Kcp("ECDSA-P256"), Now);
        var b = ClusterCertificates.Generate(Purpose("ca"), "c1", Kcp("ECDSA-P256"), Now);

        a.Data["tls.key"].ShouldNotBe(b.Data["tls.key"]);
    }
}
