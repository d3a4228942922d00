using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>The Machine a MachineSet or MachineDeployment stamps out.</summary>
public sealed class MachineTemplateSpec : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec"), KubeRequired]
    public MachineSpec Spec { get; set; } = new();
}

/// <summary>The order in which surplus Machines are deleted.</summary>
[KubeProperties(1)]
public sealed class MachineSetDeletionSpec : ApiObject
{
    [JsonPropertyName("order"), KubeEnum(MachineSetDeletionOrder.Random, MachineSetDeletionOrder.Newest, MachineSetDeletionOrder.Oldest)]
    public string? Order { get; set; }
}

/// <summary>Values of <see cref="MachineSetDeletionSpec.Order"/>.</summary>
public static class MachineSetDeletionOrder
{
    public const string Random = "Random";
    public const string Newest = "Newest";
    public const string Oldest = "Oldest";
}
