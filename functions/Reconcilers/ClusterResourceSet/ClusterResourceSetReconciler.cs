using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.ClusterResourceSets;

/// <summary>Applies a ClusterResourceSet's ConfigMaps and Secrets to the workload clusters of the Clusters its selector
/// matches (CAPI's clusterresourceset controller): ApplyOnce creates each object once, Reconcile applies again when a
/// resource's hash changes; every Cluster's ClusterResourceSetBinding records what was applied, with hashes.</summary>
/// <remarks>ConfigMaps, Secrets and workload clusters send no events here, so the set looks again on a timer
/// (<see cref="Resync"/>); its own changes and a Cluster's labels are seen at the next look.</remarks>
public sealed class ClusterResourceSetReconciler(KubeApi kube, WorkloadClusters workloads, ILogger<ClusterResourceSetReconciler> logger)
    : ObjectReconciler<ClusterResourceSet>(kube, logger)
{
    /// <summary>How often a set looks again for new Clusters, changed resources and reachable workload clusters.</summary>
    public static readonly TimeSpan Resync = TimeSpan.FromSeconds(30);

    private const string CheckLogs = "Please check controller logs for errors";

    protected override async Task<ReconcileResult> ReconcileAsync(ClusterResourceSet crs, ReconcileContext context, CancellationToken ct)
    {
        var clusters = await SelectedClustersAsync(crs, context, ct);
        if (crs.Metadata.DeletionTimestamp is not null)
        {
            await ReconcileDeleteAsync(crs, clusters, ct);
            return ReconcileResult.Done("deleted");
        }
        await PersistFinalizerAsync(crs, ClusterResourceSet.Finalizer, ct);
        // The defaulting webhook sets it; without one the default still holds.
        if (string.IsNullOrEmpty(crs.Spec.Strategy)) crs.Spec.Strategy = ClusterResourceSetStrategy.ApplyOnce;

        var errors = new List<Exception>();
        var outcome = new ApplyOutcome();
        foreach (var cluster in clusters)
        {
            try
            {
                await ApplyAsync(crs, cluster, outcome, context.Now, ct);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or InvalidOperationException or FormatException)
            {
                Logger.LogWarning("ClusterResourceSet {Namespace}/{Name}: applying to Cluster {Cluster} failed: {Error}",
                    crs.Metadata.NamespaceProperty, crs.Metadata.Name, cluster.Metadata.Name, e.Message);
                errors.Add(e);
            }
        }
        var (status, reason, message) = outcome.Failure ?? (ConditionStatus.True, ClusterResourceSetReasons.Applied, "");
        Conditions.Set(crs.Status, ClusterResourceSetConditions.ResourcesApplied, status, reason, message, crs.Metadata.Generation, context.Now.UtcDateTime);
        if (errors.Count == 0) crs.Status.ObservedGeneration = crs.Metadata.Generation;
        return errors.Count > 0
            ? ReconcileResult.Requeue(Resync, "not applied") with { Error = new AggregateException(errors) }
            : ReconcileResult.Requeue(Resync, $"applied to {clusters.Count} cluster(s)");
    }

    /// <summary>The Clusters of the set's namespace its selector matches, except deleting ones (an empty selector matches none).</summary>
    private async Task<IReadOnlyList<Api.Cluster>> SelectedClustersAsync(ClusterResourceSet crs, ReconcileContext context, CancellationToken ct)
    {
        var selector = crs.Spec.ClusterSelector;
        if (selector.IsEmpty) return [];
        if (selector.MatchExpressions?.FirstOrDefault(r => r.Operator is not (LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn
                or LabelSelectorRequirement.Exists or LabelSelectorRequirement.DoesNotExist)) is { } bad)
        {
            Conditions.Set(crs.Status, ClusterResourceSetConditions.ResourcesApplied, ConditionStatus.False, ClusterResourceSetReasons.InternalError,
                CheckLogs, crs.Metadata.Generation, context.Now.UtcDateTime);
            throw new InvalidOperationException($"unable to convert selector: \"{bad.Operator}\" is not a valid label selector operator");
        }
        var clusters = await Kube.ListAsync<Api.Cluster>(crs.Metadata.NamespaceProperty, ct: ct);
        return clusters.Where(c => c.Metadata.DeletionTimestamp is null && selector.Matches(c.Metadata.Labels?.AsReadOnly()))
            .OrderBy(c => c.Metadata.Name, StringComparer.Ordinal).ToList();
    }

    private async Task ApplyAsync(ClusterResourceSet crs, Api.Cluster cluster, ApplyOutcome outcome, DateTimeOffset now, CancellationToken ct)
    {
        var ns = crs.Metadata.NamespaceProperty;
        var resources = new List<(ResourceRef Ref, ResourceData? Data, string? Error)>();
        var errors = new List<string>();
        foreach (var reference in crs.Spec.Resources)
        {
            var read = await ReadResourceAsync(crs, reference, ct);
            switch (read)
            {
                case { Missing: true }:
                    // A resource created later is applied at the next look.
                    outcome.Fail(ConditionStatus.False, ClusterResourceSetReasons.InternalError, CheckLogs);
                    continue;
                case { WrongType: true }:
                    outcome.Fail(ConditionStatus.False, ClusterResourceSetReasons.WrongSecretType, $"Secret type of resource {reference.Name} is not supported");
                    errors.Add($"{reference.Kind} {reference.Name}: unsupported Secret type");
                    continue;
            }
            resources.Add((reference, read.Data, read.Error));
        }
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));

        var binding = await BindingAsync(crs, cluster, ct);
        var before = binding.Spec.Bindings?.FirstOrDefault(b => b.ClusterResourceSetName == crs.Metadata.Name)?.Resources?.Select(r => r.Hash + r.Applied).ToList();
        var set = SetOf(binding, crs.Metadata.Name);
        var ownerChanged = OwnerReferences.Ensure(binding.Metadata, Owner(crs));
        var workload = await workloads.GetAsync(ns, cluster.Metadata.Name, ct);
        try
        {
            if (workload is null)
            {
                outcome.Fail(ConditionStatus.False, ClusterResourceSetReasons.InternalError, CheckLogs);
                throw new InvalidOperationException($"workload cluster {ns}/{cluster.Metadata.Name} is not reachable");
            }
            var failures = new List<string>();
            foreach (var (reference, data, parseError) in resources)
            {
                var recorded = set.Resources?.FirstOrDefault(r => r.Name == reference.Name && r.Kind == reference.Kind);
                if (parseError is not null || data is null)
                {
                    Record(set, reference, null, applied: false, now);
                    failures.Add($"{reference.Kind} {reference.Name}: {parseError}");
                    continue;
                }
                var needsApply = crs.Spec.Strategy == ClusterResourceSetStrategy.Reconcile
                    ? recorded?.Applied != true || recorded.Hash != data.Hash
                    : recorded?.Applied != true;
                if (!needsApply) continue;
                var applied = true;
                try
                {
                    await ApplyObjectsAsync(workload, data.Objects, crs.Spec.Strategy == ClusterResourceSetStrategy.Reconcile, ct);
                }
                catch (Exception e) when (e is KubeApiException or InvalidOperationException or HttpRequestException)
                {
                    applied = false;
                    outcome.Fail(ConditionStatus.False, ClusterResourceSetReasons.NotApplied, "Failed to apply ClusterResourceSet resources to Cluster");
                    failures.Add($"{reference.Kind} {reference.Name}: {e.Message}");
                }
                Record(set, reference, data.Hash, applied, now);
            }
            if (failures.Count > 0) throw new InvalidOperationException(string.Join("; ", failures));
            // As in CAPI, a cluster that got everything it could sets the condition back to Applied.
            outcome.Succeeded();
        }
        finally
        {
            var after = set.Resources?.Select(r => r.Hash + r.Applied).ToList();
            if (ownerChanged || before is null || !before.SequenceEqual(after ?? []))
                await Kube.MergePatchAsync<ClusterResourceSetBinding>(ns, binding.Metadata.Name, BindingPatch(binding), ct: ct);
        }
    }

    private sealed record ReadResult(ResourceData? Data = null, string? Error = null, bool Missing = false, bool WrongType = false);

    /// <summary>Reads a ConfigMap or Secret and makes the set one of its owners, as CAPI does.</summary>
    private async Task<ReadResult> ReadResourceAsync(ClusterResourceSet crs, ResourceRef reference, CancellationToken ct)
    {
        var ns = crs.Metadata.NamespaceProperty;
        V1ObjectMeta meta;
        Func<ResourceData> data;
        if (reference.Kind == ResourceRef.SecretKind)
        {
            if (await Kube.GetAsync<V1Secret>(ns, reference.Name, ct) is not { } secret) return new ReadResult(Missing: true);
            if (secret.Type != ClusterResourceSet.SecretType) return new ReadResult(WrongType: true);
            (meta, data) = (secret.Metadata, () => ResourceData.FromSecret(secret.Data));
        }
        else
        {
            if (await Kube.GetAsync<V1ConfigMap>(ns, reference.Name, ct) is not { } configMap) return new ReadResult(Missing: true);
            (meta, data) = (configMap.Metadata, () => ResourceData.From(configMap.Data));
        }
        if (OwnerReferences.Ensure(meta, Owner(crs)))
        {
            var patch = new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = System.Text.Json.JsonSerializer.SerializeToNode(meta.OwnerReferences, Manifests.JsonOptions) } };
            if (reference.Kind == ResourceRef.SecretKind) await Kube.MergePatchAsync<V1Secret>(ns, reference.Name, patch, ct: ct);
            else await Kube.MergePatchAsync<V1ConfigMap>(ns, reference.Name, patch, ct: ct);
        }
        try
        {
            return new ReadResult(data());
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return new ReadResult(Error: e.Message);
        }
    }

    /// <summary>ApplyOnce creates (an existing object is left alone); Reconcile creates or merge-patches.</summary>
    private static async Task ApplyObjectsAsync(KubeApi workload, IReadOnlyList<JsonObject> objects, bool reconcile, CancellationToken ct)
    {
        var applier = new ManifestApplier(workload);
        var failures = new List<string>();
        foreach (var obj in objects)
        {
            var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw new InvalidOperationException("an object has no apiVersion");
            var kind = obj["kind"]?.GetValue<string>() ?? throw new InvalidOperationException("an object has no kind");
            var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidOperationException($"a {kind} has no metadata.name");
            var resource = await applier.ResolveAsync(apiVersion, kind, ct);
            var ns = resource.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? "default" : null;
            try
            {
                await workload.SendAsync<JsonObject>(HttpMethod.Post, resource.CollectionPath(ns), obj.ToJsonString(), "application/json", ct);
            }
            catch (KubeApiException e) when (e.IsAlreadyExists)
            {
                if (reconcile)
                {
                    await workload.SendAsync<JsonObject>(HttpMethod.Patch, $"{resource.CollectionPath(ns)}/{Uri.EscapeDataString(name)}",
                        obj.ToJsonString(), "application/merge-patch+json", ct);
                }
            }
            catch (KubeApiException e)
            {
                failures.Add($"creating {kind} {ns}/{name}: {e.Message}");
            }
        }
        if (failures.Count > 0) throw new InvalidOperationException(string.Join("; ", failures));
    }

    /// <summary>The Cluster's binding (named after it), created owned by the set when missing.</summary>
    private async Task<ClusterResourceSetBinding> BindingAsync(ClusterResourceSet crs, Api.Cluster cluster, CancellationToken ct)
    {
        var ns = cluster.Metadata.NamespaceProperty;
        if (await Kube.GetAsync<ClusterResourceSetBinding>(ns, cluster.Metadata.Name, ct) is { } existing) return existing;
        return await Kube.CreateOrGetAsync(new ClusterResourceSetBinding
        {
            Metadata = new V1ObjectMeta { Name = cluster.Metadata.Name, NamespaceProperty = ns, OwnerReferences = [Owner(crs)] },
            Spec = new ClusterResourceSetBindingSpec { ClusterName = cluster.Metadata.Name, Bindings = [] },
        }, ct);
    }

    private async Task ReconcileDeleteAsync(ClusterResourceSet crs, IReadOnlyList<Api.Cluster> clusters, CancellationToken ct)
    {
        foreach (var cluster in clusters)
        {
            if (await Kube.GetAsync<ClusterResourceSetBinding>(cluster.Metadata.NamespaceProperty, cluster.Metadata.Name, ct) is not { } binding) continue;
            binding.Spec.Bindings?.RemoveAll(b => b.ClusterResourceSetName == crs.Metadata.Name);
            binding.Metadata.OwnerReferences = binding.Metadata.OwnerReferences?
                .Where(o => !(o.Kind == ClusterResourceSet.KubeKind && o.Name == crs.Metadata.Name && o.ApiVersion.StartsWith(CapiGroups.Addons + "/", StringComparison.Ordinal)))
                .ToList();
            if (binding.Spec.Bindings is not { Count: > 0 })
                await Kube.DeleteAsync<ClusterResourceSetBinding>(binding.Metadata.NamespaceProperty, binding.Metadata.Name, ct: ct);
            else
                await Kube.MergePatchAsync<ClusterResourceSetBinding>(binding.Metadata.NamespaceProperty, binding.Metadata.Name, BindingPatch(binding), ct: ct);
        }
        crs.Metadata.Finalizers?.Remove(ClusterResourceSet.Finalizer);
    }

    private static ResourceSetBinding SetOf(ClusterResourceSetBinding binding, string crsName)
    {
        binding.Spec.Bindings ??= [];
        if (binding.Spec.Bindings.FirstOrDefault(b => b.ClusterResourceSetName == crsName) is { } found) return found;
        var set = new ResourceSetBinding { ClusterResourceSetName = crsName, Resources = [] };
        binding.Spec.Bindings.Add(set);
        return set;
    }

    private static void Record(ResourceSetBinding set, ResourceRef reference, string? hash, bool applied, DateTimeOffset now)
    {
        set.Resources ??= [];
        var entry = new ResourceBinding
        {
            Name = reference.Name,
            Kind = reference.Kind,
            Hash = hash,
            Applied = applied,
            LastAppliedTime = Conditions.Truncate(now.UtcDateTime),
        };
        var at = set.Resources.FindIndex(r => r.Name == reference.Name && r.Kind == reference.Kind);
        if (at >= 0) set.Resources[at] = entry;
        else set.Resources.Add(entry);
    }

    /// <summary>Bindings and owners, fenced by the read resourceVersion (two sets may write one binding).</summary>
    private static JsonObject BindingPatch(ClusterResourceSetBinding binding) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = binding.Metadata.ResourceVersion,
            ["ownerReferences"] = System.Text.Json.JsonSerializer.SerializeToNode(binding.Metadata.OwnerReferences ?? [], Manifests.JsonOptions),
        },
        ["spec"] = new JsonObject { ["bindings"] = System.Text.Json.JsonSerializer.SerializeToNode(binding.Spec.Bindings ?? [], Manifests.JsonOptions) },
    };

    private static V1OwnerReference Owner(ClusterResourceSet crs) =>
        OwnerReferences.For(CapiGroups.AddonsApiVersion, ClusterResourceSet.KubeKind, crs.Metadata, controller: false);

    /// <summary>The ResourcesApplied failure to report (CAPI keeps the last one set during the reconcile).</summary>
    private sealed class ApplyOutcome
    {
        public (string Status, string Reason, string Message)? Failure { get; private set; }

        public void Fail(string status, string reason, string message) => Failure = (status, reason, message);

        public void Succeeded() => Failure = null;
    }
}
