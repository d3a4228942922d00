using System.Text;
using k8s.Models;
using ServerlessCapi.Api;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>The files a control-plane Machine's bootstrap data carries from the cluster certificate Secrets, at the
/// paths kubeadm reads them from (CA certificates and keys, the service-account key pair).</summary>
public static class CertificateFiles
{
    /// <summary>Secret name suffix, and where its certificate and key go.</summary>
    public static readonly IReadOnlyList<(string Suffix, string CertificatePath, string KeyPath)> Layout =
    [
        ("ca", "/etc/kubernetes/pki/ca.crt", "/etc/kubernetes/pki/ca.key"),
        ("etcd", "/etc/kubernetes/pki/etcd/ca.crt", "/etc/kubernetes/pki/etcd/ca.key"),
        ("proxy", "/etc/kubernetes/pki/front-proxy-ca.crt", "/etc/kubernetes/pki/front-proxy-ca.key"),
        ("sa", "/etc/kubernetes/pki/sa.pub", "/etc/kubernetes/pki/sa.key"),
    ];

    /// <summary>The files of the Secrets found (by suffix); a Secret without a key (an external CA's certificate
    /// only) contributes its certificate alone.</summary>
    public static List<BootstrapFile> From(IReadOnlyDictionary<string, V1Secret> secretsBySuffix)
    {
        var files = new List<BootstrapFile>();
        foreach (var (suffix, certificatePath, keyPath) in Layout)
        {
            if (!secretsBySuffix.TryGetValue(suffix, out var secret) || secret.Data is null)
                continue;
            if (secret.Data.TryGetValue("tls.crt", out var certificate))
                files.Add(new BootstrapFile { Path = certificatePath, Owner = "root:root", Permissions = "0640", Content = Encoding.ASCII.GetString(certificate) });
            if (secret.Data.TryGetValue("tls.key", out var key))
                files.Add(new BootstrapFile { Path = keyPath, Owner = "root:root", Permissions = "0600", Content = Encoding.ASCII.GetString(key) });
        }
        return files;
    }
}
