using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 ClusterClass: the shape of a family of Clusters (templates for the
/// infrastructure cluster, the control plane and worker classes, variables and patches) that Clusters with a
/// managed topology are built from.</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "clusterclasses")]
public sealed class ClusterClass : KubeObject<ClusterClassSpec, ClusterClassStatus>
{
    public const string KubeKind = "ClusterClass";

    public ClusterClass()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of ClusterClasses.</summary>
public sealed class ClusterClassList() : KubeList<ClusterClass>(CapiGroups.CoreApiVersion, "ClusterClassList");

/// <summary>Desired state of a ClusterClass.</summary>
public sealed class ClusterClassSpec : ApiObject
{
    /// <summary>Conditions the Clusters of this class must have true to be Available (a Cluster's own gates win).</summary>
    [JsonPropertyName("availabilityGates")]
    [KubeItems(1, 32), KubeListType("map"), KubeListMapKeys("conditionType")]
    public List<ConditionGate>? AvailabilityGates { get; set; }

    [JsonPropertyName("infrastructure"), KubeRequired]
    public InfrastructureClass Infrastructure { get; set; } = new();

    [JsonPropertyName("controlPlane"), KubeRequired]
    public ControlPlaneClass ControlPlane { get; set; } = new();

    [JsonPropertyName("workers")]
    public WorkersClass? Workers { get; set; }

    [JsonPropertyName("variables")]
    [KubeItems(1, 1000), KubeListType("atomic")]
    public List<ClusterClassVariable>? Variables { get; set; }

    [JsonPropertyName("patches")]
    [KubeItems(1, 1000), KubeListType("atomic")]
    public List<ClusterClassPatch>? Patches { get; set; }

    [JsonPropertyName("upgrade")]
    public ClusterClassUpgrade? Upgrade { get; set; }

    /// <summary>The Kubernetes versions Clusters of this class may run, in upgrade order; when set, a
    /// topology's version must be one of them.</summary>
    [JsonPropertyName("kubernetesVersions")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? KubernetesVersions { get; set; }
}

/// <summary>A reference from a ClusterClass to a template in its namespace, with the full API version.</summary>
public sealed class ClusterClassTemplateReference : ApiObject
{
    [JsonPropertyName("kind"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.Kind)]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253), KubePattern(KubePatterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [JsonPropertyName("apiVersion"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(317), KubePattern(KubePatterns.GroupVersion)]
    public string ApiVersion { get; set; } = "";

    [JsonIgnore]
    public bool IsDefined => Kind.Length > 0 || Name.Length > 0 || ApiVersion.Length > 0;

    /// <summary>The API group of <see cref="ApiVersion"/>.</summary>
    [JsonIgnore]
    public string Group => ContractVersionedObjectReference.GroupOf(ApiVersion);

    public override string ToString() => $"{Kind}.{Group}/{Name}";
}

/// <summary>The infrastructure cluster of a ClusterClass.</summary>
public sealed class InfrastructureClass : ApiObject
{
    [JsonPropertyName("templateRef"), KubeRequired]
    public ClusterClassTemplateReference TemplateRef { get; set; } = new();

    [JsonPropertyName("naming")]
    public ClusterClassNamingSpec? Naming { get; set; }
}

/// <summary>The control plane of a ClusterClass.</summary>
public sealed class ControlPlaneClass : ApiObject
{
    /// <summary>Labels and annotations for the control plane object and its Machines.</summary>
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("templateRef"), KubeRequired]
    public ClusterClassTemplateReference TemplateRef { get; set; } = new();

    /// <summary>The machine infrastructure template, for control planes that run Machines.</summary>
    [JsonPropertyName("machineInfrastructure")]
    public ClusterClassTemplate? MachineInfrastructure { get; set; }

    [JsonPropertyName("healthCheck")]
    public ControlPlaneClassHealthCheck? HealthCheck { get; set; }

    [JsonPropertyName("naming")]
    public ClusterClassNamingSpec? Naming { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }

    [JsonPropertyName("readinessGates")]
    [KubeItems(1, 32), KubeListType("map"), KubeListMapKeys("conditionType")]
    public List<ConditionGate>? ReadinessGates { get; set; }
}

/// <summary>A template of a ClusterClass given by reference (<c>{templateRef}</c>): machine infrastructure of the
/// control plane, bootstrap and infrastructure of a worker class.</summary>
public sealed class ClusterClassTemplate : ApiObject
{
    [JsonPropertyName("templateRef"), KubeRequired]
    public ClusterClassTemplateReference TemplateRef { get; set; } = new();
}

/// <summary>The name template of objects created from a ClusterClass (Go template over <c>.cluster.name</c>,
/// <c>.random</c> and, for worker classes, <c>.machineDeployment.topologyName</c> or <c>.machinePool.topologyName</c>).</summary>
[KubeProperties(1)]
public sealed class ClusterClassNamingSpec : ApiObject
{
    [JsonPropertyName("template")]
    [KubeMinLength(1), KubeMaxLength(1024)]
    public string? Template { get; set; }
}

/// <summary>The MachineHealthCheck a ClusterClass gives its control plane.</summary>
[KubeProperties(1)]
public sealed class ControlPlaneClassHealthCheck : ApiObject
{
    [JsonPropertyName("checks")]
    public MachineHealthCheckChecks? Checks { get; set; }

    [JsonPropertyName("remediation")]
    public MachineHealthCheckRemediation? Remediation { get; set; }

    [JsonIgnore]
    public bool IsDefined => Checks is not null || Remediation is not null;
}

/// <summary>The runtime extension that computes upgrade plans for Clusters of the class.</summary>
[KubeProperties(1)]
public sealed class ClusterClassUpgrade : ApiObject
{
    [JsonPropertyName("external")]
    public ClusterClassUpgradeExternal? External { get; set; }
}

/// <summary>The name of the GenerateUpgradePlan extension.</summary>
[KubeProperties(1)]
public sealed class ClusterClassUpgradeExternal : ApiObject
{
    [JsonPropertyName("generateUpgradePlanExtension")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? GenerateUpgradePlanExtension { get; set; }
}

/// <summary>Observed state of a ClusterClass.</summary>
[KubeProperties(1)]
public sealed class ClusterClassStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    /// <summary>Every variable the class offers, from its inline definitions and from discovery extensions.</summary>
    [JsonPropertyName("variables")]
    [KubeItems(-1, 1000), KubeListType("atomic")]
    public List<ClusterClassStatusVariable>? Variables { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("deprecated")]
    public ClusterClassDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Status fields kept for v1beta1 clients.</summary>
public sealed class ClusterClassDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public ClusterClassV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions of a ClusterClass.</summary>
public sealed class ClusterClassV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }
}
