using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 MachineDrainRule: how (and in which order) the Pods it selects are drained
/// from the Nodes of the Machines it selects.</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "machinedrainrules")]
public sealed class MachineDrainRule : KubeObject<MachineDrainRuleSpec, NoStatus>
{
    public const string KubeKind = "MachineDrainRule";

    public MachineDrainRule()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of MachineDrainRules.</summary>
public sealed class MachineDrainRuleList() : KubeList<MachineDrainRule>(CapiGroups.CoreApiVersion, "MachineDrainRuleList");

/// <summary>The drain behaviours a rule (or a Pod's drain label) can ask for.</summary>
public static class MachineDrainBehavior
{
    /// <summary>Evict the Pod, in the group of its order.</summary>
    public const string Drain = "Drain";

    /// <summary>Leave the Pod on the Node.</summary>
    public const string Skip = "Skip";

    /// <summary>Do not evict the Pod, but wait until it completes.</summary>
    public const string WaitCompleted = "WaitCompleted";
}

/// <summary>Desired state of a MachineDrainRule.</summary>
public sealed class MachineDrainRuleSpec : ApiObject
{
    [JsonPropertyName("drain"), KubeRequired]
    public MachineDrainRuleDrainConfig Drain { get; set; } = new();

    /// <summary>The Machines the rule applies to (any selector may match); all Machines of the namespace when unset.</summary>
    [JsonPropertyName("machines")]
    [KubeItems(1, 32), KubeListType("atomic")]
    [KubeValidation("self.all(x, self.exists_one(y, x == y))", "entries in machines must be unique")]
    public List<MachineDrainRuleMachineSelector>? Machines { get; set; }

    /// <summary>The Pods the rule applies to (any selector may match); all Pods when unset.</summary>
    [JsonPropertyName("pods")]
    [KubeItems(1, 32), KubeListType("atomic")]
    [KubeValidation("self.all(x, self.exists_one(y, x == y))", "entries in pods must be unique")]
    public List<MachineDrainRulePodSelector>? Pods { get; set; }
}

/// <summary>If and in which order the selected Pods are drained.</summary>
public sealed class MachineDrainRuleDrainConfig : ApiObject
{
    [JsonPropertyName("behavior"), KubeRequired]
    [KubeEnum(MachineDrainBehavior.Drain, MachineDrainBehavior.Skip, MachineDrainBehavior.WaitCompleted)]
    public string Behavior { get; set; } = "";

    /// <summary>Pods with a lower order are drained first (0 when unset); only with behavior Drain.</summary>
    [JsonPropertyName("order")]
    public int? Order { get; set; }
}

/// <summary>Machines by their labels and their Cluster's labels (both must match).</summary>
[KubeProperties(1)]
public sealed class MachineDrainRuleMachineSelector : ApiObject
{
    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; set; }

    [JsonPropertyName("clusterSelector")]
    public LabelSelector? ClusterSelector { get; set; }
}

/// <summary>Pods by their labels and their Namespace's labels (both must match).</summary>
[KubeProperties(1)]
public sealed class MachineDrainRulePodSelector : ApiObject
{
    [JsonPropertyName("selector")]
    public LabelSelector? Selector { get; set; }

    [JsonPropertyName("namespaceSelector")]
    public LabelSelector? NamespaceSelector { get; set; }
}
