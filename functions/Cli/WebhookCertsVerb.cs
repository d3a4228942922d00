using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ServerlessCapi.EmbeddedApiServer.Auth;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi webhook-certs</c>: a private CA and a loopback serving certificate for the admission webhooks of a
/// local run (the API server calls webhooks over TLS only and trusts the CA given as caBundle).</summary>
internal static class WebhookCertsVerb
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Folder for ca.crt, tls.crt and tls.key.", DefaultValueFactory = _ => ".scapi/webhooks" };
        var cmd = new Command("webhook-certs", "Write a private CA and a loopback (127.0.0.1, ::1, localhost) serving certificate for the admission webhooks.") { output };
        cmd.SetAction((ParseResult parse) =>
        {
            var dir = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(dir);
            using var certificate = ServingCertificate.Create();
            File.WriteAllText(Path.Combine(dir, "ca.crt"), certificate.AuthorityPem);
            File.WriteAllText(Path.Combine(dir, "tls.crt"), certificate.Leaf.ExportCertificatePem());
            var keyPath = Path.Combine(dir, "tls.key");
            using (var key = certificate.Leaf.GetECDsaPrivateKey()!)
                File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Console.WriteLine($"Written to {dir}. Serve the webhooks over HTTPS with:");
            Console.WriteLine($"  FunctionApp__HttpsCertificate={Path.Combine(dir, "tls.crt")} FunctionApp__HttpsCertificateKey={keyPath} \\");
            Console.WriteLine("    scapi run --urls \"https://127.0.0.1:9443\" ...");
            Console.WriteLine("caBundle for infra/webhooks (CA_BUNDLE):");
            Console.WriteLine(Convert.ToBase64String(Encoding.ASCII.GetBytes(certificate.AuthorityPem)));
            return 0;
        });
        return cmd;
    }
}
