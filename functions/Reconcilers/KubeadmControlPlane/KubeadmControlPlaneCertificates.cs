using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.ControlPlane;

namespace ServerlessCapi.Reconcilers.KubeadmControlPlane;

/// <summary>The cluster certificate Secrets of a control plane.</summary>
public sealed partial class KubeadmControlPlaneReconciler
{
    /// <summary>Creates each of <c>&lt;cluster&gt;-ca</c>, <c>-etcd</c>, <c>-proxy</c> and <c>-sa</c> that does not exist
    /// yet. An existing Secret, generated earlier or put there by the user, is used as it is and never replaced;
    /// with external etcd the etcd CA is the user's to provide. Only Secret names reach the log (CAPI records no Event for this either).</summary>
    private async Task EnsureCertificatesAsync(Api.KubeadmControlPlane kcp, Api.Cluster cluster, DateTimeOffset now, CancellationToken ct)
    {
        var ns = kcp.Metadata.NamespaceProperty;
        var externalEtcd = kcp.Spec.KubeadmConfigSpec?.ClusterConfiguration?.Etcd?.External is not null;
        foreach (var purpose in ClusterCertificates.All)
        {
            if (externalEtcd && purpose.Suffix == "etcd")
                continue;
            var name = ClusterCertificates.SecretName(cluster.Metadata.Name, purpose);
            if (await Kube.GetAsync<V1Secret>(ns, name, ct) is not null)
                continue;
            // Create-or-get: when a concurrent step (or the user) wrote it first, theirs stays.
            var secret = await Kube.CreateOrGetAsync(ClusterCertificates.Generate(purpose, cluster.Metadata.Name, kcp, now), ct);
            if (ControlPlaneScope.OwnedBy(secret.Metadata, kcp.Metadata))
                Logger.LogInformation("KubeadmControlPlane {Namespace}/{Name}: generated certificate Secret {Secret}", ns, kcp.Metadata.Name, name);
        }
    }

    /// <summary>Records on each provisioned Machine's KubeadmConfig when its certificates expire
    /// (<c>machine.cluster.x-k8s.io/certificates-expiry</c>, RFC 3339), once, as CAPI does after reading the node's
    /// API server certificate. The simulated nodes have no certificate to read: kubeadm issues the node's
    /// certificates for <c>certificateValidityPeriodDays</c> (365 by default) when it runs, so the expiry is counted
    /// from the KubeadmConfig's creation.</summary>
    private async Task RecordCertificatesExpiryAsync(ControlPlaneScope scope, CancellationToken ct)
    {
        if (!scope.Initialized)
            return;
        var days = scope.Kcp.Spec.KubeadmConfigSpec?.ClusterConfiguration?.CertificateValidityPeriodDays ?? DefaultCertificateValidityDays;
        foreach (var machine in scope.Active.Where(m => m.Status.NodeRef is not null))
        {
            if (!scope.ConfigObjects.TryGetValue(machine.Metadata.Name, out var config)
                || config.Metadata.Annotations?.ContainsKey(CapiAnnotations.MachineCertificatesExpiry) == true
                || config.Metadata.CreationTimestamp is not { } created)
            {
                continue;
            }
            var expiry = DateTime.SpecifyKind(created, DateTimeKind.Utc).AddDays(days).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [CapiAnnotations.MachineCertificatesExpiry] = expiry } },
            };
            await Kube.MergePatchAsync<Api.KubeadmConfig>(scope.Namespace, config.Metadata.Name, patch, ct: ct);
            config.Metadata.Annotations ??= new Dictionary<string, string>();
            config.Metadata.Annotations[CapiAnnotations.MachineCertificatesExpiry] = expiry;
        }
    }

    /// <summary>kubeadm's default validity of the certificates it issues on a node.</summary>
    private const int DefaultCertificateValidityDays = 365;
}
