using System.Security.Cryptography.X509Certificates;
using System.Text;
using ServerlessCapi.EmbeddedApiServer.Auth;

namespace ServerlessCapi.Local;

/// <summary>The admission webhooks' TLS material of a local run: a private CA and a loopback serving certificate,
/// PEM files in one folder, made once and reused by every start and restart of the app (so the caBundle registered
/// in the API server stays valid).</summary>
public sealed class WebhookTls
{
    private WebhookTls(string folder) => Folder = folder;

    public string Folder { get; }
    public string AuthorityFile => Path.Combine(Folder, "ca.crt");
    public string CertificateFile => Path.Combine(Folder, "tls.crt");

    /// <summary>The private key: owner-readable only, passed to the app by path (never its content on a command
    /// line or in a log).</summary>
    public string KeyFile => Path.Combine(Folder, "tls.key");

    /// <summary>The CA as a webhook configuration's <c>caBundle</c> (base64 of the PEM).</summary>
    public string CaBundle => Convert.ToBase64String(Encoding.ASCII.GetBytes(File.ReadAllText(AuthorityFile)));

    /// <summary>Loads the files in <paramref name="folder"/>, or makes them when any is missing.</summary>
    public static WebhookTls LoadOrCreate(string folder)
    {
        var tls = new WebhookTls(folder);
        if (File.Exists(tls.AuthorityFile) && File.Exists(tls.CertificateFile) && File.Exists(tls.KeyFile)) return tls;
        Directory.CreateDirectory(folder);
        using var certificate = ServingCertificate.Create();
        using (var key = certificate.Leaf.GetECDsaPrivateKey()!)
        {
            // Created owner-only before any byte is written, so the key is never readable by others, not even briefly.
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var writer = new StreamWriter(tls.KeyFile, Encoding.ASCII, options);
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }
        File.WriteAllText(tls.CertificateFile, certificate.Leaf.ExportCertificatePem());
        // Written last: its presence marks a complete set.
        File.WriteAllText(tls.AuthorityFile, certificate.AuthorityPem);
        return tls;
    }

    /// <summary>Whether <paramref name="presented"/> chains to this CA (how the API server checks the webhook).</summary>
    public bool Trusts(X509Certificate2? presented)
    {
        if (presented is null) return false;
        using var authority = X509Certificate2.CreateFromPem(File.ReadAllText(AuthorityFile));
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }
}
