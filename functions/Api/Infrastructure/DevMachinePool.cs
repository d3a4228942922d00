using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>infrastructure.cluster.x-k8s.io/v1beta2 DevMachinePool: the infrastructure of a MachinePool on CAPI's
/// test provider. Each instance is a DevMachine labelled with the pool's name; CAPI's provider has a docker backend,
/// the product adds <c>spec.backend.inMemory</c> (the DevMachine's in-memory backend, copied to every instance).</summary>
[KubernetesEntity(Group = CapiGroups.Infrastructure, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "devmachinepools")]
public sealed class DevMachinePool : KubeObject<DevMachinePoolSpec, DevMachinePoolStatus>
{
    public const string KubeKind = "DevMachinePool";

    public DevMachinePool()
        : base(CapiGroups.InfrastructureApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of DevMachinePools.</summary>
public sealed class DevMachinePoolList() : KubeList<DevMachinePool>(CapiGroups.InfrastructureApiVersion, "DevMachinePoolList");

/// <summary>Desired state of a DevMachinePool.</summary>
public sealed class DevMachinePoolSpec : ApiObject
{
    [JsonPropertyName("providerID")]
    public string? ProviderId { get; set; }

    /// <summary>The provider IDs of the pool's instances, sorted (the MachinePool copies them).</summary>
    [JsonPropertyName("providerIDList")]
    public List<string>? ProviderIdList { get; set; }

    [JsonPropertyName("backend")]
    public DevMachinePoolBackendSpec? Backend { get; set; }
}

/// <summary>Which backend provides the pool's instances.</summary>
public sealed class DevMachinePoolBackendSpec : ApiObject
{
    [JsonPropertyName("docker"), PreserveUnknownFields]
    public JsonElement? Docker { get; set; }

    [JsonPropertyName("inMemory")]
    public InMemoryMachineBackendSpec? InMemory { get; set; }
}

/// <summary>Observed state of a DevMachinePool.</summary>
public sealed class DevMachinePoolStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    /// <summary>True once as many instances as the MachinePool wants have a provider ID (CAPI's v1beta1-style flag,
    /// which the MachinePool reads as infrastructure provisioned).</summary>
    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    /// <summary>The kind of the per-instance objects (DevMachine): its presence makes the MachinePool create a
    /// Machine for each of them.</summary>
    [JsonPropertyName("infrastructureMachineKind")]
    public string? InfrastructureMachineKind { get; set; }

    [JsonPropertyName("instances")]
    public List<DevMachinePoolInstanceStatus>? Instances { get; set; }
}

/// <summary>What the pool knows of one instance.</summary>
public sealed class DevMachinePoolInstanceStatus : ApiObject
{
    [JsonPropertyName("addresses")]
    public List<MachineAddress>? Addresses { get; set; }

    [JsonPropertyName("instanceName")]
    public string? InstanceName { get; set; }

    [JsonPropertyName("providerID")]
    public string? ProviderId { get; set; }

    [JsonPropertyName("version")]
    public string? Version { get; set; }

    [JsonPropertyName("ready")]
    public bool? Ready { get; set; }
}

/// <summary>infrastructure.cluster.x-k8s.io/v1beta2 DevMachinePoolTemplate: the DevMachinePool a ClusterClass's
/// machine pool class stamps out.</summary>
[KubernetesEntity(Group = CapiGroups.Infrastructure, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "devmachinepooltemplates")]
public sealed class DevMachinePoolTemplate : KubeObject<DevMachinePoolTemplateSpec, NoStatus>
{
    public const string KubeKind = "DevMachinePoolTemplate";

    public DevMachinePoolTemplate()
        : base(CapiGroups.InfrastructureApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of DevMachinePoolTemplates.</summary>
public sealed class DevMachinePoolTemplateList() : KubeList<DevMachinePoolTemplate>(CapiGroups.InfrastructureApiVersion, "DevMachinePoolTemplateList");

/// <summary>Desired state of a DevMachinePoolTemplate.</summary>
public sealed class DevMachinePoolTemplateSpec : ApiObject
{
    [JsonPropertyName("template"), KubeRequired]
    public DevMachinePoolTemplateResource Template { get; set; } = new();
}

/// <summary>The DevMachinePool stamped out from a template.</summary>
public sealed class DevMachinePoolTemplateResource : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec"), KubeRequired]
    public DevMachinePoolSpec Spec { get; set; } = new();
}
