using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Providers.Ownership;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Machine;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>A Machine without <c>spec.clusterName</c>. Cluster API's CRD requires the field, so to get such a Machine
/// onto an API server at all — as one written before the CRD was upgraded, or through a CRD someone edited, would be —
/// the test serves a relaxed copy of the Machine CRD (clusterName neither required nor bounded) in a cluster of its own
/// on the embedded server, next to the unchanged CRDs of every other kind. No webhooks run there. The reconciler under
/// test is the real one.</summary>
public sealed class MachineWithoutClusterNameTests
{
    private static async Task<KubeApi> RelaxedClusterAsync()
    {
        CapiResources.Register();
        var server = await TestApiServer.SharedAsync();
        var kube = new KubeApi(server.ClientConfig(TestNames.Unique("relaxed")));
        var applier = new ManifestApplier(kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
        {
            var objects = ManifestApplier.Parse(await File.ReadAllTextAsync(file));
            foreach (var crd in objects.Where(o => o["spec"]?["names"]?["kind"]?.GetValue<string>() == Api.Machine.KubeKind))
            {
                foreach (var version in crd["spec"]!["versions"]!.AsArray())
                {
                    var spec = version!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!.AsObject();
                    var required = spec["required"]!.AsArray();
                    required.Remove(required.First(r => r!.GetValue<string>() == "clusterName"));
                    var clusterName = spec["properties"]!["clusterName"]!.AsObject();
                    clusterName.Remove("minLength");
                }
            }
            await applier.ApplyAsync(objects);
        }
        await kube.CreateOrGetAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "default" } });
        return kube;
    }

    [Fact]
    public async Task A_machine_without_cluster_name_is_reported_and_left_alone()
    {
        using var kube = await RelaxedClusterAsync();
        var machine = await kube.CreateAsync(new Api.Machine
        {
            Metadata = new V1ObjectMeta { Name = "nameless", NamespaceProperty = "default" },
            Spec = new MachineSpec
            {
                Bootstrap = new MachineBootstrap { DataSecretName = "data" },
                InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = Api.DevMachine.KubeKind, Name = "nameless" },
            },
        });
        machine.Spec.ClusterName.ShouldBeNullOrEmpty("the relaxed CRD let it in");

        var driver = new StepDriver(new MachineReconciler(kube, new WorkloadClusters(kube, NullLogger<WorkloadClusters>.Instance), NullLogger<MachineReconciler>.Instance),
            new ObjectKey(Api.Machine.KubeKind, "default", "nameless", machine.Metadata.Uid));
        var step = await driver.StepAsync();
        step.ShouldBeOfType<Workflows.Reconcile.ReconcileOutcome.TerminalOutcome>("parked until it changes, not retried")
            .Reason.ShouldStartWith(InvalidInput.ClusterNameMissing, Case.Sensitive);

        var after = (await kube.GetAsync<Api.Machine>("default", "nameless")).ShouldNotBeNull();
        after.Metadata.Uid.ShouldBe(machine.Metadata.Uid);
        after.Metadata.OwnerReferences.ShouldBeNull("no owner reference to a Cluster that has no name");
        after.Metadata.Finalizers.ShouldBeNull();
        var condition = Conditions.Get(after.Status, InvalidInput.ConditionType).ShouldNotBeNull();
        condition.Status.ShouldBe(ConditionStatus.False);
        condition.Reason.ShouldBe(InvalidInput.ClusterNameMissing);
        condition.Message.ShouldContain("spec.clusterName");

        // A second look (the object changed: our own status write) changes nothing and still creates no reference.
        await driver.StepAsync();
        (await kube.GetAsync<Api.Machine>("default", "nameless"))!.Metadata.OwnerReferences.ShouldBeNull();
    }

    [Fact]
    public void An_owner_reference_without_uid_or_name_is_refused()
    {
        Should.Throw<InvalidOwnerReferenceException>(() => OwnerRefs.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, new V1ObjectMeta { Name = "c1" }, controller: false))
            .Missing.ShouldBe(["uid"]);
        Should.Throw<InvalidOwnerReferenceException>(() => OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, new V1ObjectMeta(), controller: true))
            .Missing.ShouldBe(["name", "uid"]);
        Should.Throw<InvalidOwnerReferenceException>(() => OwnerRefs.For("", Api.Cluster.KubeKind, new V1ObjectMeta { Name = "c1", Uid = "u" }, controller: false));
        var ok = OwnerRefs.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, new V1ObjectMeta { Name = "c1", Uid = "u" }, controller: true);
        OwnerRefs.ToJson(ok)["uid"]!.GetValue<string>().ShouldBe("u");
    }
}
