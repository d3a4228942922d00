using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>addons.cluster.x-k8s.io/v1beta2 ClusterResourceSetBinding: one per Cluster (same name), recording which
/// resources of which ClusterResourceSets were applied to it, with their hashes.</summary>
[KubernetesEntity(Group = CapiGroups.Addons, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "clusterresourcesetbindings")]
public sealed class ClusterResourceSetBinding : KubeObject<ClusterResourceSetBindingSpec, NoStatus>
{
    public const string KubeKind = "ClusterResourceSetBinding";

    public ClusterResourceSetBinding()
        : base(CapiGroups.AddonsApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of ClusterResourceSetBindings.</summary>
public sealed class ClusterResourceSetBindingList() : KubeList<ClusterResourceSetBinding>(CapiGroups.AddonsApiVersion, "ClusterResourceSetBindingList");

/// <summary>Desired state of a ClusterResourceSetBinding.</summary>
public sealed class ClusterResourceSetBindingSpec : ApiObject
{
    [JsonPropertyName("bindings")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    public List<ResourceSetBinding>? Bindings { get; set; }

    /// <summary>The Cluster this binding belongs to; immutable once set.</summary>
    [JsonPropertyName("clusterName"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63)]
    public string ClusterName { get; set; } = "";
}

/// <summary>The resources of one ClusterResourceSet as applied to the binding's Cluster.</summary>
public sealed class ResourceSetBinding : ApiObject
{
    [JsonPropertyName("clusterResourceSetName"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253)]
    public string ClusterResourceSetName { get; set; } = "";

    [JsonPropertyName("resources")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    public List<ResourceBinding>? Resources { get; set; }
}

/// <summary>One resource: whether it was applied, when, and the hash of the data applied.</summary>
public sealed class ResourceBinding : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253)]
    public string Name { get; set; } = "";

    [JsonPropertyName("kind"), KubeRequired]
    [KubeEnum(ResourceRef.SecretKind, ResourceRef.ConfigMapKind)]
    public string Kind { get; set; } = "";

    [JsonPropertyName("hash")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Hash { get; set; }

    [JsonPropertyName("lastAppliedTime")]
    public DateTime? LastAppliedTime { get; set; }

    [JsonPropertyName("applied"), KubeRequired]
    public bool? Applied { get; set; }
}
