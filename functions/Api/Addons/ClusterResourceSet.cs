using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>addons.cluster.x-k8s.io/v1beta2 ClusterResourceSet: ConfigMaps and Secrets whose objects are applied to the
/// workload clusters of the Clusters its selector matches.</summary>
[KubernetesEntity(Group = CapiGroups.Addons, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "clusterresourcesets")]
public sealed class ClusterResourceSet : KubeObject<ClusterResourceSetSpec, ClusterResourceSetStatus>
{
    public const string KubeKind = "ClusterResourceSet";

    /// <summary>The only Secret type whose data a ClusterResourceSet applies.</summary>
    public const string SecretType = "addons.cluster.x-k8s.io/resource-set";

    public const string Finalizer = "addons.cluster.x-k8s.io";

    public ClusterResourceSet()
        : base(CapiGroups.AddonsApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of ClusterResourceSets.</summary>
public sealed class ClusterResourceSetList() : KubeList<ClusterResourceSet>(CapiGroups.AddonsApiVersion, "ClusterResourceSetList");

/// <summary>How a ClusterResourceSet applies its resources.</summary>
public static class ClusterResourceSetStrategy
{
    /// <summary>Each resource once per cluster (the default).</summary>
    public const string ApplyOnce = "ApplyOnce";

    /// <summary>Again whenever a resource's normalized hash changes.</summary>
    public const string Reconcile = "Reconcile";
}

/// <summary>Desired state of a ClusterResourceSet.</summary>
public sealed class ClusterResourceSetSpec : ApiObject
{
    /// <summary>The Clusters (of the same namespace) the resources go to; immutable, never empty.</summary>
    [JsonPropertyName("clusterSelector"), KubeRequired]
    public LabelSelector ClusterSelector { get; set; } = new();

    [JsonPropertyName("resources"), KubeRequired]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<ResourceRef> Resources { get; set; } = [];

    /// <summary>ApplyOnce (the default) or Reconcile; immutable.</summary>
    [JsonPropertyName("strategy")]
    [KubeEnum(ClusterResourceSetStrategy.ApplyOnce, ClusterResourceSetStrategy.Reconcile)]
    public string? Strategy { get; set; }
}

/// <summary>A Secret or ConfigMap in the ClusterResourceSet's namespace.</summary>
public sealed class ResourceRef : ApiObject
{
    public const string SecretKind = "Secret";
    public const string ConfigMapKind = "ConfigMap";

    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253)]
    public string Name { get; set; } = "";

    [JsonPropertyName("kind"), KubeRequired]
    [KubeEnum(SecretKind, ConfigMapKind)]
    public string Kind { get; set; } = "";
}

/// <summary>Observed state of a ClusterResourceSet.</summary>
[KubeProperties(1)]
public sealed class ClusterResourceSetStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("deprecated")]
    public ClusterResourceSetDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Status fields kept for v1beta1 clients.</summary>
public sealed class ClusterResourceSetDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public ClusterResourceSetV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions of a ClusterResourceSet.</summary>
public sealed class ClusterResourceSetV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }
}

/// <summary>The ResourcesApplied condition of a ClusterResourceSet and its reasons.</summary>
public static class ClusterResourceSetConditions
{
    public const string ResourcesApplied = "ResourcesApplied";
}

/// <summary>Reasons of <see cref="ClusterResourceSetConditions.ResourcesApplied"/>.</summary>
public static class ClusterResourceSetReasons
{
    public const string Applied = "Applied";
    public const string NotApplied = "NotApplied";
    public const string WrongSecretType = "WrongSecretType";
    public const string InternalError = "InternalError";
}
