using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Machine;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>A deleted Machine's drain follows the MachineDrainRules of its namespace and its Pods' drain labels, with
/// real Pods in a workload cluster of the embedded API server.</summary>
public sealed class MachineDrainRuleTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync() => _h = await Harness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    private StepDriver Driver(Api.Machine m) =>
        new(new MachineReconciler(_h.Kube, _h.Workloads, NullLogger<MachineReconciler>.Instance),
            new ObjectKey(Api.Machine.KubeKind, _h.Namespace, m.Metadata.Name, m.Metadata.Uid));

    private async Task<(KubeApi Workload, StepDriver Worker)> ClusterWithRunningWorkerAsync(Action<Api.Machine>? editWorker = null)
    {
        await _h.CreateClusterAsync("c1");
        await _h.Kube.MergePatchAsync<Api.Cluster>(_h.Namespace, "c1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["stage"] = "production" } },
        });
        var workload = await _h.CreateWorkloadClusterAsync("c1");
        foreach (var (name, cp) in new[] { ("cp1", true), ("w1", false) })
        {
            await _h.CreateMachineAsync(name, "c1", controlPlane: cp, edit: cp ? null : editWorker);
            await _h.MarkBootstrapReadyAsync(name);
            await _h.MarkInfrastructureAsync(name, provisioned: true);
            await Harness.CreateNodeAsync(workload, name, _h.ProviderId(name));
        }
        var worker = Driver((await _h.MachineAsync("w1"))!);
        await worker.StepUntilAsync(async () => (await _h.MachineAsync("w1"))?.Status.Phase == MachinePhase.Running, what: "w1 Running");
        await Driver((await _h.MachineAsync("cp1"))!).StepUntilAsync(async () => (await _h.MachineAsync("cp1"))?.Status.Phase == MachinePhase.Running, what: "cp1 Running");
        return (workload, worker);
    }

    private Task<MachineDrainRule> RuleAsync(string name, string behavior, int? order = null, string? podApp = null, string? podNamespace = null,
        MachineDrainRuleMachineSelector? machines = null) =>
        _h.Kube.CreateAsync(new MachineDrainRule
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _h.Namespace },
            Spec = new MachineDrainRuleSpec
            {
                Drain = new MachineDrainRuleDrainConfig { Behavior = behavior, Order = order },
                Machines = machines is null ? null : [machines],
                Pods = podApp is null && podNamespace is null ? null :
                [
                    new MachineDrainRulePodSelector
                    {
                        Selector = podApp is null ? null : new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = podApp } },
                        NamespaceSelector = podNamespace is null ? null : new LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = podNamespace } },
                    },
                ],
            },
        });

    private static Task<V1Pod> PodAsync(KubeApi workload, string ns, string name, string node, Dictionary<string, string>? labels = null,
        V1OwnerReference? owner = null) =>
        workload.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels, OwnerReferences = owner is null ? null : [owner] },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "main", Image = "registry.example/app:1" }] },
            Status = new V1PodStatus { Phase = "Running" },
        });

    private static async Task NamespaceAsync(KubeApi workload, string name) =>
        await workload.CreateOrGetAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = name } },
        });

    private static async Task<List<string>> PodsAsync(KubeApi workload) =>
        (await workload.ListAsync<V1Pod>(null)).Select(p => $"{p.Metadata.NamespaceProperty}/{p.Metadata.Name}").Order(StringComparer.Ordinal).ToList();

    private async Task<string> DeletingMessageAsync() => Conditions.Get((await _h.MachineAsync("w1"))!.Status, MachineConditions.Deleting)!.Message;

    [Fact]
    public async Task Drain_evicts_by_order_waits_for_wait_completed_pods_and_leaves_skipped_ones()
    {
        var (workload, driver) = await ClusterWithRunningWorkerAsync();
        await NamespaceAsync(workload, "apps");
        await NamespaceAsync(workload, "monitoring");
        var agents = await workload.CreateAsync(new V1DaemonSet
        {
            Metadata = new V1ObjectMeta { Name = "agents", NamespaceProperty = "monitoring" },
            Spec = new V1DaemonSetSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "agent" } },
                Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "agent" }] } },
            },
        });
        await PodAsync(workload, "apps", "web", "w1", new() { ["app"] = "web" });
        await PodAsync(workload, "apps", "batch", "w1", new() { ["app"] = "batch", [CapiLabels.PodDrain] = "wait-completed" });
        await PodAsync(workload, "apps", "cache", "w1", new() { ["app"] = "cache" });
        await PodAsync(workload, "monitoring", "logger", "w1", new() { ["app"] = "logging" });
        await PodAsync(workload, "monitoring", "agent-w1", "w1", new() { ["app"] = "agent" },
            new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "agents", Uid = agents.Metadata.Uid, Controller = true });
        await PodAsync(workload, "apps", "web-on-cp", "cp1", new() { ["app"] = "web" });

        // Rules are taken by name: the first would skip everything, but it selects control plane Machines only.
        await RuleAsync("a-control-plane-keeps-all", MachineDrainBehavior.Skip,
            machines: new MachineDrainRuleMachineSelector { Selector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = CapiLabels.ControlPlane, Operator = LabelSelectorRequirement.Exists }] } });
        await RuleAsync("b-logging-last", MachineDrainBehavior.Drain, order: 10, podApp: "logging", podNamespace: "monitoring");
        await RuleAsync("c-cache-stays", MachineDrainBehavior.Skip, podApp: "cache");
        await RuleAsync("d-production-web-first", MachineDrainBehavior.Drain, order: -1, podApp: "web",
            machines: new MachineDrainRuleMachineSelector { ClusterSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["stage"] = "production" } } });

        await _h.Kube.DeleteAsync<Api.Machine>(_h.Namespace, "w1");
        await driver.StepAsync();

        // Order -1 first: only web is evicted; batch (order 0) and logger (order 10) wait their turn.
        (await workload.GetAsync<V1Node>(null, "w1"))!.Spec.Unschedulable.ShouldBe(true);
        (await PodsAsync(workload)).ShouldBe(["apps/batch", "apps/cache", "apps/web-on-cp", "monitoring/agent-w1", "monitoring/logger"]);
        var message = await DeletingMessageAsync();
        message.ShouldStartWith("Drain not completed yet (started at ");
        message.ShouldContain("\n* Pod apps/web: deletionTimestamp set, but still not removed from the Node");
        message.ShouldContain("\nAfter above Pods have been removed from the Node, the following Pods will be evicted: monitoring/logger");
        message.ShouldContain("\nAfter above Pods have been removed from the Node, waiting for the following Pods to complete without eviction: apps/batch");

        // Order 0 now: batch is never evicted, the drain waits for it to finish.
        await driver.StepAsync(timer: true);
        (await PodsAsync(workload)).ShouldContain("apps/batch");
        (await PodsAsync(workload)).ShouldContain("monitoring/logger");
        message = await DeletingMessageAsync();
        message.ShouldContain("\n* Pod apps/batch: waiting for completion");
        message.ShouldContain("the following Pods will be evicted: monitoring/logger");

        await workload.DeleteAsync<V1Pod>("apps", "batch");
        await driver.StepAsync(timer: true);
        (await PodsAsync(workload)).ShouldBe(["apps/cache", "apps/web-on-cp", "monitoring/agent-w1"]);

        // Nothing that blocks is left: the drain completes and deletion moves on.
        await driver.StepUntilAsync(async () => await _h.MachineAsync("w1") is null, what: "w1 gone");
        (await PodsAsync(workload)).ShouldBe(["apps/cache", "apps/web-on-cp", "monitoring/agent-w1"]);
    }

    [Fact]
    public async Task A_rule_with_a_selector_that_does_not_parse_stops_the_drain_and_exclude_node_draining_skips_it()
    {
        var (workload, driver) = await ClusterWithRunningWorkerAsync();
        await NamespaceAsync(workload, "apps");
        await PodAsync(workload, "apps", "web", "w1", new() { ["app"] = "web" });
        // Written around the webhook (none runs here), as a rule stored before it existed would be.
        await _h.Kube.CreateAsync(new MachineDrainRule
        {
            Metadata = new V1ObjectMeta { Name = "broken", NamespaceProperty = _h.Namespace },
            Spec = new MachineDrainRuleSpec
            {
                Drain = new MachineDrainRuleDrainConfig { Behavior = MachineDrainBehavior.Skip },
                Pods = [new MachineDrainRulePodSelector { Selector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "app", Operator = "Like", Values = ["w"] }] } }],
            },
        });

        await _h.Kube.DeleteAsync<Api.Machine>(_h.Namespace, "w1");
        // The step fails (the engine retries it with backoff) rather than guess what the rule meant.
        (await Should.ThrowAsync<InvalidOperationException>(() => driver.StepAsync())).Message.ShouldContain("invalid selectors in MachineDrainRule broken");
        (await PodsAsync(workload)).ShouldBe(["apps/web"]);
        (await _h.MachineAsync("w1")).ShouldNotBeNull();

        await _h.Kube.MergePatchAsync<Api.Machine>(_h.Namespace, "w1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [CapiAnnotations.ExcludeNodeDraining] = "" } },
        });
        await driver.StepUntilAsync(async () => await _h.MachineAsync("w1") is null, what: "w1 gone");
        (await PodsAsync(workload)).ShouldBe(["apps/web"]);
    }
}
