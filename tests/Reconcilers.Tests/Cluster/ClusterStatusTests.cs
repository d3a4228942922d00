using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Clusters;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Tests.Cluster;

public class ClusterStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static Api.Cluster NewCluster() => new()
    {
        Metadata = new V1ObjectMeta { Name = "c1", NamespaceProperty = "ns", Generation = 2 },
        Spec = new ClusterSpec
        {
            InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = "DevCluster", Name = "c1" },
            ControlPlaneRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.ControlPlane, Kind = "KubeadmControlPlane", Name = "c1-cp" },
        },
    };

    private static JsonObject Provider(string kind, string type, string status, string reason = "", string message = "", int? replicas = null)
    {
        var obj = new JsonObject
        {
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = "x" },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message }),
            },
        };
        if (replicas is not null) obj["spec"] = new JsonObject { ["replicas"] = replicas };
        return obj;
    }

    private static Api.Machine NewMachine(string name, bool controlPlane, string ready, string message = "", bool available = true)
    {
        var m = new Api.Machine
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Labels = controlPlane ? new Dictionary<string, string> { [CapiLabels.ControlPlane] = "" } : new Dictionary<string, string>(),
            },
        };
        m.Status.Conditions =
        [
            new Condition { Type = "Ready", Status = ready, Reason = ready == "True" ? "Ready" : "NotReady", Message = message },
            new Condition { Type = "Available", Status = ConditionStatus.Of(available && ready == "True"), Reason = "x" },
        ];
        return m;
    }

    private static Condition Get(Api.Cluster c, string type) => Conditions.Get(c.Status, type) ?? throw new ShouldAssertException($"{type} is not set");

    [Fact]
    public void A_new_cluster_is_Provisioning_and_waits_for_its_parts()
    {
        var c = NewCluster();
        var s = new ClusterScope(c, Now) { InfraCluster = Provider("DevCluster", "Ready", "False", "LoadBalancerProvisioning", "Creating the load balancer"), ControlPlaneNotFound = true };

        ClusterStatusCalculator.Apply(s);

        c.Status.Phase.ShouldBe(ClusterPhase.Provisioning);
        Get(c, ClusterConditions.InfrastructureReady).ShouldSatisfyAllConditions(
            x => x.Status.ShouldBe("False"), x => x.Reason.ShouldBe("LoadBalancerProvisioning"), x => x.Message.ShouldBe("Creating the load balancer"));
        Get(c, ClusterConditions.ControlPlaneInitialized).ShouldSatisfyAllConditions(
            x => x.Status.ShouldBe("Unknown"), x => x.Message.ShouldBe("KubeadmControlPlane does not exist"));
        Get(c, ClusterConditions.RemoteConnectionProbe).Message.ShouldBe("Remote connection not established yet");
        Get(c, ClusterConditions.WorkersAvailable).Reason.ShouldBe("NoWorkers");
        Get(c, ClusterConditions.ControlPlaneMachinesReady).Reason.ShouldBe("NoReplicas");
        var available = Get(c, ClusterConditions.Available);
        available.Status.ShouldBe("False");
        available.Reason.ShouldBe("NotAvailable");
        available.Message.ShouldBe("""
            * RemoteConnectionProbe: Remote connection not established yet
            * InfrastructureReady: Creating the load balancer
            * ControlPlaneAvailable: KubeadmControlPlane does not exist
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        c.Status.ObservedGeneration.ShouldBe(2);
    }

    [Fact]
    public void A_provisioned_cluster_with_ready_parts_and_machines_is_Available()
    {
        var c = NewCluster();
        c.Spec.ControlPlaneEndpoint = new ApiEndpoint { Host = "127.0.0.1", Port = 6443 };
        c.Status.Initialization = new ClusterInitializationStatus { InfrastructureProvisioned = true, ControlPlaneInitialized = true };
        var s = new ClusterScope(c, Now)
        {
            InfraCluster = Provider("DevCluster", "Ready", "True", "Ready"),
            ControlPlane = Provider("KubeadmControlPlane", "Available", "True", "Available", replicas: 1),
            Machines = [NewMachine("cp-1", true, "True"), NewMachine("w-1", false, "True"), NewMachine("w-2", false, "True")],
            Probe = new ProbeResult(true, null),
        };

        ClusterStatusCalculator.Apply(s);

        c.Status.Phase.ShouldBe(ClusterPhase.Provisioned);
        Get(c, ClusterConditions.ControlPlaneInitialized).Reason.ShouldBe("Initialized");
        Get(c, ClusterConditions.ControlPlaneAvailable).Status.ShouldBe("True");
        Get(c, ClusterConditions.WorkersAvailable).ShouldSatisfyAllConditions(x => x.Status.ShouldBe("True"), x => x.Reason.ShouldBe("Available"));
        Get(c, ClusterConditions.WorkerMachinesReady).Status.ShouldBe("True");
        Get(c, ClusterConditions.Available).ShouldSatisfyAllConditions(x => x.Status.ShouldBe("True"), x => x.Reason.ShouldBe("Available"));
        c.Status.ControlPlane!.ReadyReplicas.ShouldBe(1);
        c.Status.Workers!.Replicas.ShouldBe(2);
        c.Status.Workers.DesiredReplicas.ShouldBe(2);
    }

    [Fact]
    public void Machines_that_are_not_ready_are_aggregated_by_message()
    {
        var c = NewCluster();
        var s = new ClusterScope(c, Now)
        {
            Machines =
            [
                NewMachine("w-1", false, "False", "* NodeHealthy: Node not ready"),
                NewMachine("w-2", false, "False", "* NodeHealthy: Node not ready"),
                NewMachine("w-3", false, "False", "* InfrastructureReady: VM failed to boot"),
                NewMachine("w-4", false, "True"),
            ],
        };

        ClusterStatusCalculator.Apply(s);

        var ready = Get(c, ClusterConditions.WorkerMachinesReady);
        ready.Status.ShouldBe("False");
        ready.Reason.ShouldBe("NotReady");
        ready.Message.ShouldBe("* Machines w-1, w-2:\n  * NodeHealthy: Node not ready\n* Machine w-3:\n  * InfrastructureReady: VM failed to boot");
        Get(c, ClusterConditions.WorkersAvailable).ShouldSatisfyAllConditions(x => x.Status.ShouldBe("False"), x => x.Reason.ShouldBe("NotAvailable"));
        c.Status.Workers!.ReadyReplicas.ShouldBe(1);
    }

    [Fact]
    public void A_failed_probe_says_why_and_makes_the_cluster_unavailable()
    {
        var c = NewCluster();
        c.Status.Initialization = new ClusterInitializationStatus { InfrastructureProvisioned = true, ControlPlaneInitialized = true };
        var s = new ClusterScope(c, Now) { Probe = new ProbeResult(false, "Secret c1-kubeconfig does not exist") };

        ClusterStatusCalculator.Apply(s);

        Get(c, ClusterConditions.RemoteConnectionProbe).ShouldSatisfyAllConditions(
            x => x.Status.ShouldBe("False"), x => x.Reason.ShouldBe("ProbeFailed"),
            x => x.Message.ShouldBe("Remote connection probe failed: Secret c1-kubeconfig does not exist"));
        Get(c, ClusterConditions.Available).Message.ShouldContain("* RemoteConnectionProbe: Remote connection probe failed");
    }

    [Fact]
    public void A_deleting_cluster_reports_the_stage_and_treats_gone_parts_as_expected()
    {
        var c = NewCluster();
        c.Metadata.DeletionTimestamp = Now.UtcDateTime;
        c.Status.Initialization = new ClusterInitializationStatus { InfrastructureProvisioned = true, ControlPlaneInitialized = true };
        var s = new ClusterScope(c, Now)
        {
            InfraClusterNotFound = true,
            ControlPlaneNotFound = true,
            DeletingReason = ClusterReasons.DeletingWaitingForInfrastructureDeletion,
            DeletingMessage = "Waiting for DevCluster to be deleted",
        };

        ClusterStatusCalculator.Apply(s);

        c.Status.Phase.ShouldBe(ClusterPhase.Deleting);
        Get(c, ClusterConditions.Deleting).ShouldSatisfyAllConditions(x => x.Status.ShouldBe("True"), x => x.Reason.ShouldBe("WaitingForInfrastructureDeletion"));
        Get(c, ClusterConditions.InfrastructureReady).Reason.ShouldBe("ObjectDeleted");
        Get(c, ClusterConditions.Available).Message.ShouldBe("* Deleting: Waiting for DevCluster to be deleted\n* RemoteConnectionProbe: Remote connection not established yet");
    }
}
