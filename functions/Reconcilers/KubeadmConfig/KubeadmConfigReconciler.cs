using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.Bootstrap;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.KubeadmConfig;

/// <summary>The KubeadmConfig reconciler (CAPI's kubeadm bootstrap provider): once the Cluster allows it, renders
/// the owning Machine's cloud-config or, with <c>format: ignition</c>, Ignition config (kubeadm init on the first control-plane Machine, join everywhere else)
/// into a Secret named like the config, and reports <c>status.dataSecretName</c>.</summary>
/// <remarks>The bootstrap data holds a join token and the user's files: it goes into the Secret and nowhere
/// else — never into a log line, a condition message or the workflow's state.</remarks>
public sealed class KubeadmConfigReconciler(KubeApi kube, ILogger<KubeadmConfigReconciler> logger)
    : ObjectReconciler<Api.KubeadmConfig>(kube, logger)
{
    protected override async Task<ReconcileResult> ReconcileAsync(Api.KubeadmConfig obj, ReconcileContext context, CancellationToken ct)
    {
        var now = context.Now;
        var ns = obj.Metadata.NamespaceProperty;
        if (obj.Metadata.IsDeleting())
            return ReconcileResult.Done("deleting"); // The data Secret goes with the config (owner reference).

        // The config's owner is a Machine, or a MachinePool whose every instance joins with the same data (CAPI's
        // config owner abstraction): both give a cluster name, a version, labels and a deletion mark.
        var machine = await OwnerAsync(obj, ns, ct);
        if (machine is null)
        {
            KubeadmConfigStatus.Waiting(obj, "Waiting for the Machine controller to set the owner reference", now);
            return ReconcileResult.Done("waiting for the owning Machine");
        }
        var clusterName = obj.Metadata.Label(CapiLabels.ClusterName) ?? machine.Spec.ClusterName;
        var cluster = await Kube.GetAsync<Api.Cluster>(ns, clusterName, ct);
        if (cluster is null)
        {
            KubeadmConfigStatus.Waiting(obj, $"Waiting for Cluster {clusterName}", now);
            return ProviderTiming.PollCluster("waiting for the Cluster");
        }
        obj.Spec.Format ??= BootstrapFormat.CloudConfig;

        // Bootstrap data is written once; a Secret that went missing is written again.
        if (obj.Status.DataSecretName is { } existing && await Kube.GetAsync<V1Secret>(ns, existing, ct) is not null)
        {
            KubeadmConfigStatus.DataSecretCreated(obj, existing, now);
            return ReconcileResult.Done("data secret exists");
        }

        if (machine.Metadata.IsDeleting())
        {
            // No bootstrap data (a join token) for a Machine on its way out.
            KubeadmConfigStatus.Waiting(obj, "The owning Machine is being deleted", now);
            return ReconcileResult.Done("owning Machine deleting");
        }
        var controlPlane = machine.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) == true;
        var decision = BootstrapDecision.For(obj.Spec, controlPlane, ClusterFacts.InfrastructureProvisioned(cluster),
            ClusterFacts.ControlPlaneInitialized(cluster), ClusterFacts.Endpoint(cluster) is not null);
        if (decision.Role is not { } role)
        {
            KubeadmConfigStatus.Waiting(obj, decision.WaitingFor!, now);
            return ProviderTiming.PollCluster("waiting for the Cluster");
        }

        string data;
        try
        {
            var input = new BootstrapInput(obj.Spec, role, cluster.Metadata.Name, machine.Spec.Version, ClusterFacts.Endpoint(cluster),
                cluster.Spec.ClusterNetwork, BootstrapSecret.NewJoinToken(), await SecretValuesAsync(obj.Spec, ns, ct),
                role == BootstrapRole.JoinWorker ? null : await CertificateFilesAsync(ns, cluster.Metadata.Name, ct));
            data = obj.Spec.Format == BootstrapFormat.Ignition ? IgnitionConfig.Render(input) : CloudInit.Render(input);
        }
        catch (BootstrapDataException e)
        {
            KubeadmConfigStatus.Waiting(obj, e.Message, now);
            return ReconcileResult.Requeue(ProviderTiming.AfterError, "waiting for referenced Secrets");
        }

        // Create-or-get: a retried step keeps the Secret the first attempt wrote.
        var secret = await Kube.CreateOrGetAsync(BootstrapSecret.Build(obj, cluster.Metadata.Name, data, obj.Spec.Format), ct);
        KubeadmConfigStatus.DataSecretCreated(obj, secret.Metadata.Name, now);
        Logger.LogInformation("KubeadmConfig {Namespace}/{Name}: bootstrap data Secret written ({Role})", ns, obj.Metadata.Name, role);
        return ReconcileResult.Done("data secret created");
    }

    /// <summary>The owning Machine, or the owning MachinePool seen as the Machine of its template (worker, the pool's
    /// version, name, labels and deletion mark); null until a controller owner exists.</summary>
    private async Task<Api.Machine?> OwnerAsync(Api.KubeadmConfig obj, string ns, CancellationToken ct)
    {
        if (obj.Metadata.ControllerOfKind(CapiGroups.Core, Api.Machine.KubeKind)?.Name is { } machineName)
            return await Kube.GetAsync<Api.Machine>(ns, machineName, ct);
        if (obj.Metadata.ControllerOfKind(CapiGroups.Core, Api.MachinePool.KubeKind)?.Name is not { } poolName
            || await Kube.GetAsync<Api.MachinePool>(ns, poolName, ct) is not { } pool)
            return null;
        return new Api.Machine
        {
            Metadata = new V1ObjectMeta
            {
                Name = pool.Metadata.Name,
                NamespaceProperty = ns,
                Labels = pool.Spec.Template.Metadata?.Labels is { } labels ? new Dictionary<string, string>(labels) : null,
                DeletionTimestamp = pool.Metadata.DeletionTimestamp,
            },
            Spec = pool.Spec.Template.Spec,
        };
    }

    /// <summary>The cluster certificates (the control plane's <c>&lt;cluster&gt;-ca</c>, <c>-etcd</c>, <c>-proxy</c>,
    /// <c>-sa</c> Secrets) a control-plane Machine needs; those that do not exist are left out.</summary>
    private async Task<List<BootstrapFile>> CertificateFilesAsync(string ns, string clusterName, CancellationToken ct)
    {
        var secrets = new Dictionary<string, V1Secret>(StringComparer.Ordinal);
        foreach (var (suffix, _, _) in CertificateFiles.Layout)
        {
            if (await Kube.GetAsync<V1Secret>(ns, $"{clusterName}-{suffix}", ct) is { } secret)
                secrets[suffix] = secret;
        }
        return CertificateFiles.From(secrets);
    }

    /// <summary>The values of the Secrets files and user passwords refer to (missing ones are left out and
    /// reported by the renderer).</summary>
    private async Task<IReadOnlyDictionary<(string, string), string>> SecretValuesAsync(KubeadmConfigSpec spec, string ns, CancellationToken ct)
    {
        var references = (spec.Files ?? []).Select(f => f.ContentFrom?.Secret)
            .Concat((spec.Users ?? []).Select(u => u.PasswdFrom?.Secret))
            .OfType<SecretKeyReference>()
            .ToList();
        var values = new Dictionary<(string, string), string>();
        foreach (var name in references.Select(r => r.Name).Distinct())
        {
            var secret = await Kube.GetAsync<V1Secret>(ns, name, ct);
            foreach (var r in references.Where(r => r.Name == name))
            {
                if (secret?.Data is not null && secret.Data.TryGetValue(r.Key, out var bytes))
                    values[(r.Name, r.Key)] = Encoding.UTF8.GetString(bytes);
            }
        }
        return values;
    }
}
