using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.Ownership;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>The bootstrap data Secret of a KubeadmConfig (CAPI's bootstrap provider contract).</summary>
public static class BootstrapSecret
{
    /// <summary>The Secret type CAPI gives its Secrets.</summary>
    public const string SecretType = "cluster.x-k8s.io/secret";
    public const string ValueKey = "value";
    public const string FormatKey = "format";

    /// <summary>The Secret: named like the config, key <c>value</c> (and <c>format</c>), labelled with the
    /// cluster, controlled by the config so it goes when the config goes.</summary>
    public static V1Secret Build(KubeadmConfig config, string clusterName, string data, string format) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = config.Metadata.Name,
            NamespaceProperty = config.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = clusterName },
            OwnerReferences =
            [
                OwnerRefs.For(CapiGroups.BootstrapApiVersion, KubeadmConfig.KubeKind, config.Metadata, controller: true),
            ],
        },
        Type = SecretType,
        Data = new Dictionary<string, byte[]>
        {
            [ValueKey] = Encoding.UTF8.GetBytes(data),
            [FormatKey] = Encoding.UTF8.GetBytes(format),
        },
    };

    /// <summary>A kubeadm bootstrap token, <c>[a-z0-9]{6}.[a-z0-9]{16}</c>.</summary>
    public static string NewJoinToken()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return $"{RandomNumberGenerator.GetString(alphabet, 6)}.{RandomNumberGenerator.GetString(alphabet, 16)}";
    }
}
