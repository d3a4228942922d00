using ServerlessCapi.Api;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>Everything the bootstrap data of one Machine is made from.</summary>
/// <param name="Spec">The KubeadmConfig's spec (defaults applied).</param>
/// <param name="Role">Init or join, decided from the Cluster's state (see <see cref="BootstrapDecision"/>).</param>
/// <param name="ClusterName">The CAPI Cluster's name (kubeadm's clusterName).</param>
/// <param name="KubernetesVersion">The Machine's <c>spec.version</c>.</param>
/// <param name="ControlPlaneEndpoint"><c>host:port</c> of the Cluster's control plane endpoint.</param>
/// <param name="Network">The Cluster's network settings, if any.</param>
/// <param name="JoinToken">The bootstrap token a joining node presents (also listed on init).</param>
/// <param name="SecretValues">Resolved <c>contentFrom</c>/<c>passwdFrom</c> values by (secret name, key).</param>
/// <param name="CertificateFiles">The cluster certificates a control-plane Machine writes under <c>/etc/kubernetes/pki</c>.</param>
public sealed record BootstrapInput(
    KubeadmConfigSpec Spec,
    BootstrapRole Role,
    string ClusterName,
    string? KubernetesVersion,
    string? ControlPlaneEndpoint,
    ClusterNetwork? Network,
    string JoinToken,
    IReadOnlyDictionary<(string Secret, string Key), string>? SecretValues = null,
    IReadOnlyList<BootstrapFile>? CertificateFiles = null);
