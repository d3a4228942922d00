using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.ClusterResourceSets;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>ClusterResourceSets against the embedded API server and its simulated workload clusters: what is applied
/// where, the binding's hashes, owner references, the ResourcesApplied condition, both strategies and deletion.</summary>
public sealed class ClusterResourceSetTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync() => _h = await Harness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    private const string CniYaml = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cni-config
          namespace: kube-system
        data:
          mode: vxlan
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: kube-system
        """;

    private static string SecretYaml(string token) =>
        "[{\"apiVersion\": \"v1\", \"kind\": \"Secret\", \"metadata\": {\"name\": \"cloud-credentials\", \"namespace\": \"kube-system\"}, \"stringData\": {\"token\": \"" + token + "\"}}]";

    private static string Sha(params string[] values) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(values))));

    private async Task<Api.Cluster> LabelledClusterAsync(string name, string cni)
    {
        await _h.CreateClusterAsync(name);
        return await _h.Kube.MergePatchAsync<Api.Cluster>(_h.Namespace, name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["cni"] = cni } },
        });
    }

    private async Task<ClusterResourceSet> SetAsync(string name, string strategy, params ResourceRef[] resources) =>
        await _h.Kube.CreateAsync(new ClusterResourceSet
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _h.Namespace },
            Spec = new ClusterResourceSetSpec
            {
                ClusterSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["cni"] = "calico" } },
                Resources = [.. resources],
                Strategy = strategy,
            },
        });

    private StepDriver Driver(ClusterResourceSet crs) =>
        new(new ClusterResourceSetReconciler(_h.Kube, _h.Workloads, NullLogger<ClusterResourceSetReconciler>.Instance),
            new ObjectKey(ClusterResourceSet.KubeKind, _h.Namespace, crs.Metadata.Name, crs.Metadata.Uid));

    private Task<V1ConfigMap> ConfigMapAsync(string name, string value) =>
        _h.Kube.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _h.Namespace },
            Data = new Dictionary<string, string> { ["cni.yaml"] = value },
        });

    private async Task<ResourceBinding> BoundAsync(string cluster, string set, string resource) =>
        (await _h.Kube.GetAsync<ClusterResourceSetBinding>(_h.Namespace, cluster))!.Spec.Bindings!
            .Single(b => b.ClusterResourceSetName == set).Resources!.Single(r => r.Name == resource);

    [Fact]
    public async Task ApplyOnce_applies_to_selected_clusters_records_hashes_and_owners_and_never_reapplies()
    {
        await LabelledClusterAsync("alpha", "calico");
        await LabelledClusterAsync("beta", "cilium");
        var alpha = await _h.CreateWorkloadClusterAsync("alpha");
        var beta = await _h.CreateWorkloadClusterAsync("beta");
        await ConfigMapAsync("cni", CniYaml);
        await _h.Kube.CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "cloud", NamespaceProperty = _h.Namespace },
            Type = ClusterResourceSet.SecretType,
            Data = new Dictionary<string, byte[]> { ["secret.json"] = Encoding.UTF8.GetBytes(SecretYaml("t1")) },
        });
        var crs = await SetAsync("cni", ClusterResourceSetStrategy.ApplyOnce,
            new ResourceRef { Kind = ResourceRef.ConfigMapKind, Name = "cni" }, new ResourceRef { Kind = ResourceRef.SecretKind, Name = "cloud" });
        var driver = Driver(crs);

        await driver.StepAsync();

        (await alpha.GetAsync<V1ConfigMap>("kube-system", "cni-config"))!.Data["mode"].ShouldBe("vxlan");
        (await alpha.GetAsync<V1Secret>("kube-system", "cloud-credentials")).ShouldNotBeNull();
        (await beta.GetAsync<V1ConfigMap>("kube-system", "cni-config")).ShouldBeNull();
        (await _h.Kube.GetAsync<ClusterResourceSetBinding>(_h.Namespace, "beta")).ShouldBeNull();

        var stored = (await _h.Kube.GetAsync<ClusterResourceSet>(_h.Namespace, "cni"))!;
        stored.Metadata.Finalizers.ShouldContain(ClusterResourceSet.Finalizer);
        var applied = Conditions.Get(stored.Status, ClusterResourceSetConditions.ResourcesApplied)!;
        (applied.Status, applied.Reason).ShouldBe((ConditionStatus.True, ClusterResourceSetReasons.Applied));
        stored.Status.ObservedGeneration.ShouldBe(stored.Metadata.Generation);

        var binding = (await _h.Kube.GetAsync<ClusterResourceSetBinding>(_h.Namespace, "alpha"))!;
        binding.Spec.ClusterName.ShouldBe("alpha");
        binding.Metadata.OwnerReferences.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            o => o.Kind.ShouldBe(ClusterResourceSet.KubeKind), o => o.Uid.ShouldBe(crs.Metadata.Uid), o => o.Controller.ShouldNotBe(true));
        var cm = await BoundAsync("alpha", "cni", "cni");
        (cm.Applied, cm.Hash, cm.Kind).ShouldBe((true, Sha(CniYaml), ResourceRef.ConfigMapKind));
        (await BoundAsync("alpha", "cni", "cloud")).Hash.ShouldBe(Sha(SecretYaml("t1")));
        (await _h.Kube.GetAsync<V1ConfigMap>(_h.Namespace, "cni"))!.Metadata.OwnerReferences.ShouldContain(o => o.Uid == crs.Metadata.Uid);
        (await _h.Kube.GetAsync<V1Secret>(_h.Namespace, "cloud"))!.Metadata.OwnerReferences.ShouldContain(o => o.Uid == crs.Metadata.Uid);

        // ApplyOnce: a changed resource is not applied again, and the recorded hash stays.
        await _h.Kube.MergePatchAsync<V1ConfigMap>(_h.Namespace, "cni", new JsonObject { ["data"] = new JsonObject { ["cni.yaml"] = CniYaml.Replace("vxlan", "bgp", StringComparison.Ordinal) } });
        await driver.StepAsync(timer: true);
        (await alpha.GetAsync<V1ConfigMap>("kube-system", "cni-config"))!.Data["mode"].ShouldBe("vxlan");
        (await BoundAsync("alpha", "cni", "cni")).Hash.ShouldBe(Sha(CniYaml));

        // A Cluster labelled later is picked up at the next look.
        await _h.Kube.MergePatchAsync<Api.Cluster>(_h.Namespace, "beta", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["cni"] = "calico" } },
        });
        await driver.StepAsync(timer: true);
        (await beta.GetAsync<V1ConfigMap>("kube-system", "cni-config"))!.Data["mode"].ShouldBe("bgp");

        // Deletion: the set leaves the bindings (empty ones are deleted) and lets go of its finalizer.
        await _h.Kube.DeleteAsync<ClusterResourceSet>(_h.Namespace, "cni");
        await driver.StepAsync();
        (await _h.Kube.GetAsync<ClusterResourceSet>(_h.Namespace, "cni")).ShouldBeNull();
        (await _h.Kube.GetAsync<ClusterResourceSetBinding>(_h.Namespace, "alpha")).ShouldBeNull();
        (await _h.Kube.GetAsync<ClusterResourceSetBinding>(_h.Namespace, "beta")).ShouldBeNull();
    }

    [Fact]
    public async Task Reconcile_applies_again_when_the_hash_changes_and_a_wrong_secret_type_is_reported()
    {
        await LabelledClusterAsync("gamma", "calico");
        var gamma = await _h.CreateWorkloadClusterAsync("gamma");
        await ConfigMapAsync("cni", CniYaml);
        var crs = await SetAsync("cni-live", ClusterResourceSetStrategy.Reconcile, new ResourceRef { Kind = ResourceRef.ConfigMapKind, Name = "cni" });
        var driver = Driver(crs);
        await driver.StepAsync();
        (await gamma.GetAsync<V1ConfigMap>("kube-system", "cni-config"))!.Data["mode"].ShouldBe("vxlan");

        var changed = CniYaml.Replace("vxlan", "bgp", StringComparison.Ordinal);
        await _h.Kube.MergePatchAsync<V1ConfigMap>(_h.Namespace, "cni", new JsonObject { ["data"] = new JsonObject { ["cni.yaml"] = changed } });
        await driver.StepAsync(timer: true);
        (await gamma.GetAsync<V1ConfigMap>("kube-system", "cni-config"))!.Data["mode"].ShouldBe("bgp");
        (await BoundAsync("gamma", "cni-live", "cni")).Hash.ShouldBe(Sha(changed));

        // Only Secrets of the resource-set type are applied.
        await _h.Kube.CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "opaque", NamespaceProperty = _h.Namespace },
            Type = "Opaque",
            Data = new Dictionary<string, byte[]> { ["x.yaml"] = Encoding.UTF8.GetBytes(CniYaml) },
        });
        var wrong = await SetAsync("wrong-type", ClusterResourceSetStrategy.ApplyOnce, new ResourceRef { Kind = ResourceRef.SecretKind, Name = "opaque" });
        await Should.ThrowAsync<AggregateException>(() => Driver(wrong).StepAsync());
        var condition = Conditions.Get((await _h.Kube.GetAsync<ClusterResourceSet>(_h.Namespace, "wrong-type"))!.Status, ClusterResourceSetConditions.ResourcesApplied)!;
        (condition.Status, condition.Reason, condition.Message).ShouldBe((ConditionStatus.False, ClusterResourceSetReasons.WrongSecretType, "Secret type of resource opaque is not supported"));
    }
}
