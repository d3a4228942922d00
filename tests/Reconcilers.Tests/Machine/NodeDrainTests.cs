using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Machine;

namespace ServerlessCapi.Reconcilers.Tests.Machine;

/// <summary>CAPI's drain filters and rule matching on Pods built in memory.</summary>
public class NodeDrainTests
{
    private static V1Pod Pod(string name = "p", string ns = "apps", string? controllerKind = null, bool mirror = false,
        Dictionary<string, string>? labels = null, string? phase = null) => new()
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = labels,
                OwnerReferences = controllerKind is null ? null : [new V1OwnerReference { Kind = controllerKind, Name = "o", Uid = "u", Controller = true }],
                Annotations = mirror ? new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "x" } : null,
            },
            Status = phase is null ? null : new V1PodStatus { Phase = phase },
        };

    private static MachineDrainRule Rule(string name, string behavior, int? order = null, List<MachineDrainRulePodSelector>? pods = null,
        List<MachineDrainRuleMachineSelector>? machines = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new MachineDrainRuleSpec { Drain = new MachineDrainRuleDrainConfig { Behavior = behavior, Order = order }, Pods = pods, Machines = machines },
        };

    private static PodDrainContext Context(params MachineDrainRule[] rules) => new(rules,
        new Dictionary<string, V1Namespace>
        {
            ["apps"] = new() { Metadata = new V1ObjectMeta { Name = "apps", Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "apps" } } },
            ["monitoring"] = new() { Metadata = new V1ObjectMeta { Name = "monitoring", Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = "monitoring" } } },
        },
        (_, name) => name == "o", DateTimeOffset.UtcNow);

    private static List<MachineDrainRulePodSelector> PodsLabelled(string key, string value, string? ns = null) =>
    [
        new()
        {
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { [key] = value } },
            NamespaceSelector = ns is null ? null : new LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns } },
        },
    ];

    [Fact]
    public void DaemonSet_and_mirror_pods_stay_unless_their_daemonset_is_gone_or_they_finished()
    {
        PodDrainFilters.Classify(Pod(), Context()).ShouldBe(PodDrainStatus.Drain);
        PodDrainFilters.Classify(Pod(controllerKind: "ReplicaSet"), Context()).ShouldBe(PodDrainStatus.Drain);
        PodDrainFilters.Classify(Pod(controllerKind: "DaemonSet"), Context()).ShouldBe(PodDrainStatus.Skip);
        PodDrainFilters.Classify(Pod(controllerKind: "DaemonSet", phase: "Succeeded"), Context()).ShouldBe(PodDrainStatus.Drain);
        PodDrainFilters.Classify(Pod(mirror: true), Context()).ShouldBe(PodDrainStatus.Skip);
        var orphan = Pod(controllerKind: "DaemonSet");
        orphan.Metadata.OwnerReferences[0].Name = "gone";
        PodDrainFilters.Classify(orphan, Context()).ShouldBe(PodDrainStatus.Drain);
    }

    [Theory]
    [InlineData("skip", "Skip")]
    [InlineData("SKIP", "Skip")]
    [InlineData("wait-completed", "WaitCompleted")]
    [InlineData("WaitCompleted", "WaitCompleted")]
    [InlineData("wait--completed", "Drain")]
    [InlineData("later", "Drain")]
    public void The_drain_label_decides_before_any_rule(string label, string behavior)
    {
        var rule = Rule("a-drain-everything-late", MachineDrainBehavior.Drain, order: 5);
        PodDrainFilters.Classify(Pod(labels: new() { [CapiLabels.PodDrain] = label }), Context(rule)).Behavior.ShouldBe(behavior);
    }

    [Fact]
    public void The_first_rule_by_name_that_selects_the_pod_decides_with_its_namespace_selector()
    {
        var skipLogging = Rule("a-skip-logging", MachineDrainBehavior.Skip, pods: PodsLabelled("app", "logging", ns: "monitoring"));
        var lastLogging = Rule("b-logging-last", MachineDrainBehavior.Drain, order: 10, pods: PodsLabelled("app", "logging"));
        var context = Context(skipLogging, lastLogging);

        PodDrainFilters.Classify(Pod(ns: "monitoring", labels: new() { ["app"] = "logging" }), context).ShouldBe(PodDrainStatus.Skip);
        PodDrainFilters.Classify(Pod(ns: "apps", labels: new() { ["app"] = "logging" }), context).ShouldBe(new PodDrainStatus(MachineDrainBehavior.Drain, 10));
        PodDrainFilters.Classify(Pod(ns: "apps", labels: new() { ["app"] = "web" }), context).ShouldBe(PodDrainStatus.Drain);
        PodDrainFilters.Classify(Pod(ns: "missing"), context).Error.ShouldBe("Pod Namespace does not exist");
    }

    [Fact]
    public void A_rule_selects_machines_by_their_labels_and_their_clusters_labels()
    {
        var rule = Rule("r", MachineDrainBehavior.Skip, machines:
        [
            new() { Selector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = CapiLabels.ControlPlane, Operator = LabelSelectorRequirement.Exists }] } },
            new()
            {
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["os"] = "linux" } },
                ClusterSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["stage"] = "production" } },
            },
        ]);
        DrainRules.AppliesToMachine(rule, new Dictionary<string, string> { [CapiLabels.ControlPlane] = "" }, null).ShouldBeTrue();
        DrainRules.AppliesToMachine(rule, new Dictionary<string, string> { ["os"] = "linux" }, new Dictionary<string, string> { ["stage"] = "production" }).ShouldBeTrue();
        DrainRules.AppliesToMachine(rule, new Dictionary<string, string> { ["os"] = "linux" }, new Dictionary<string, string> { ["stage"] = "dev" }).ShouldBeFalse();
        DrainRules.AppliesToMachine(Rule("all", MachineDrainBehavior.Skip), null, null).ShouldBeTrue();
    }

    [Fact]
    public void A_selector_that_does_not_parse_is_reported()
    {
        var rule = Rule("bad", MachineDrainBehavior.Skip, pods:
            [new() { Selector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "app", Operator = "Like", Values = ["x"] }] } }]);
        DrainRules.SelectorProblem(rule).ShouldBe("key app: \"Like\" is not a valid label selector operator");
        DrainRules.SelectorProblem(Rule("good", MachineDrainBehavior.Skip, pods: PodsLabelled("app", "x"))).ShouldBeNull();
    }
}
