using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>infrastructure.cluster.x-k8s.io/v1beta2 DevMachine: the infrastructure of one Machine on CAPI's
/// test provider.</summary>
[KubernetesEntity(Group = CapiGroups.Infrastructure, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "devmachines")]
public sealed class DevMachine : KubeObject<DevMachineSpec, DevMachineStatus>
{
    public const string KubeKind = "DevMachine";

    public DevMachine()
        : base(CapiGroups.InfrastructureApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of DevMachines.</summary>
public sealed class DevMachineList() : KubeList<DevMachine>(CapiGroups.InfrastructureApiVersion, "DevMachineList");

/// <summary>Desired state of a DevMachine.</summary>
public sealed class DevMachineSpec : ApiObject
{
    [JsonPropertyName("providerID")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ProviderId { get; set; }

    [JsonPropertyName("backend"), KubeRequired]
    public DevMachineBackendSpec Backend { get; set; } = new();
}

/// <summary>Which backend provides the machine.</summary>
public sealed class DevMachineBackendSpec : ApiObject
{
    [JsonPropertyName("docker"), PreserveUnknownFields]
    public JsonElement? Docker { get; set; }

    [JsonPropertyName("inMemory")]
    public InMemoryMachineBackendSpec? InMemory { get; set; }
}

/// <summary>Simulated boot times of the parts of an in-memory machine.</summary>
public sealed class InMemoryMachineBackendSpec : ApiObject
{
    [JsonPropertyName("vm")]
    public InMemoryComponentSpec? Vm { get; set; }

    [JsonPropertyName("node")]
    public InMemoryComponentSpec? Node { get; set; }

    [JsonPropertyName("apiServer")]
    public InMemoryComponentSpec? ApiServer { get; set; }

    [JsonPropertyName("etcd")]
    public InMemoryComponentSpec? Etcd { get; set; }
}

/// <summary>One simulated part (VM, Node, API server or etcd) of an in-memory machine.</summary>
public sealed class InMemoryComponentSpec : ApiObject
{
    [JsonPropertyName("provisioning")]
    public InMemoryProvisioning? Provisioning { get; set; }
}

/// <summary>How long a simulated part takes to start: a Go duration (<c>"10s"</c>) and a jitter fraction
/// (<c>"0.2"</c> = up to 20 % more).</summary>
public sealed class InMemoryProvisioning : ApiObject
{
    [JsonPropertyName("startupDuration"), KubeRequired]
    public string StartupDuration { get; set; } = "";

    [JsonPropertyName("startupJitter")]
    public string? StartupJitter { get; set; }

    /// <summary><see cref="StartupDuration"/> as a time span.</summary>
    [JsonIgnore]
    public TimeSpan StartupDurationValue => GoDuration.Parse(StartupDuration);

    /// <summary><see cref="StartupJitter"/> as a fraction (0 when unset).</summary>
    [JsonIgnore]
    public double StartupJitterValue =>
        string.IsNullOrEmpty(StartupJitter) ? 0 : double.Parse(StartupJitter, System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Observed state of a DevMachine.</summary>
public sealed class DevMachineStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("initialization")]
    public InfrastructureInitializationStatus? Initialization { get; set; }

    [JsonPropertyName("addresses")]
    public List<MachineAddress>? Addresses { get; set; }

    [JsonPropertyName("failureDomain")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? FailureDomain { get; set; }

    [JsonPropertyName("deprecated")]
    public InfrastructureDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>infrastructure.cluster.x-k8s.io/v1beta2 DevMachineTemplate: the DevMachine every Machine of a
/// MachineDeployment or control plane gets a copy of.</summary>
[KubernetesEntity(Group = CapiGroups.Infrastructure, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "devmachinetemplates")]
public sealed class DevMachineTemplate : KubeObject<DevMachineTemplateSpec, DevMachineTemplateStatus>
{
    public const string KubeKind = "DevMachineTemplate";

    public DevMachineTemplate()
        : base(CapiGroups.InfrastructureApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of DevMachineTemplates.</summary>
public sealed class DevMachineTemplateList() : KubeList<DevMachineTemplate>(CapiGroups.InfrastructureApiVersion, "DevMachineTemplateList");

/// <summary>Desired state of a DevMachineTemplate.</summary>
public sealed class DevMachineTemplateSpec : ApiObject
{
    [JsonPropertyName("template"), KubeRequired]
    public DevMachineTemplateResource Template { get; set; } = new();
}

/// <summary>The DevMachine stamped out from a template.</summary>
public sealed class DevMachineTemplateResource : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec"), KubeRequired]
    public DevMachineSpec Spec { get; set; } = new();
}

/// <summary>Observed state of a DevMachineTemplate (resource capacity for autoscalers).</summary>
public sealed class DevMachineTemplateStatus : ApiObject
{
    [JsonPropertyName("capacity")]
    [KubePattern(KubePatterns.Quantity, OnItems = true)]
    public Dictionary<string, IntOrString>? Capacity { get; set; }
}
