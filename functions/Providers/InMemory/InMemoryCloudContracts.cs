using System.Text.Json.Serialization;

namespace ServerlessCapi.Providers.InMemory;

/// <summary>What a VM is doing, derived from the cloud's clock.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VmState>))]
public enum VmState
{
    Provisioning,
    Running,
    Failed,
    Deleting,
}

/// <summary>The role a VM plays in its cluster (control-plane VMs also run etcd and an API server).</summary>
public static class VmRoles
{
    public const string ControlPlane = "control-plane";
    public const string Worker = "worker";
}

/// <summary>How long one component takes to come up: the duration, widened by ± jitter (a fraction).</summary>
public sealed record StartupTime(
    [property: JsonPropertyName("startupDuration")] TimeSpan Duration,
    [property: JsonPropertyName("startupJitter")] double Jitter = 0)
{
    public static StartupTime Zero { get; } = new(TimeSpan.Zero);
}

/// <summary>Body of <c>PUT /v1/vms/{id}</c>. The id is the DevMachine uid, so a retry never makes a second VM.</summary>
public sealed record CreateVmRequest
{
    [JsonPropertyName("clusterNamespace")] public required string ClusterNamespace { get; init; }
    [JsonPropertyName("clusterName")] public required string ClusterName { get; init; }
    [JsonPropertyName("machineName")] public required string MachineName { get; init; }
    [JsonPropertyName("role")] public string Role { get; init; } = VmRoles.Worker;
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("vm")] public StartupTime? Vm { get; init; }
    [JsonPropertyName("node")] public StartupTime? Node { get; init; }
    [JsonPropertyName("apiServer")] public StartupTime? ApiServer { get; init; }
    [JsonPropertyName("etcd")] public StartupTime? Etcd { get; init; }

    /// <summary>Failure injection: the VM fails when it would have booted.</summary>
    [JsonPropertyName("failBoot")] public bool FailBoot { get; init; }

    /// <summary>Failure injection: the Node reports Ready=False.</summary>
    [JsonPropertyName("nodeNotReady")] public bool NodeNotReady { get; init; }
}

/// <summary>A machine address, shaped like CAPI's MachineAddress.</summary>
public sealed record VmAddress(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("address")] string Address);

/// <summary>When one component of a VM is (or was) expected up.</summary>
public sealed record ComponentStatus(
    [property: JsonPropertyName("readyAt")] DateTimeOffset ReadyAt,
    [property: JsonPropertyName("ready")] bool Ready);

/// <summary>A VM as <c>GET /v1/vms/{id}</c> shows it.</summary>
public sealed record VmResponse
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("providerID")] public required string ProviderId { get; init; }
    [JsonPropertyName("state")] public required VmState State { get; init; }
    [JsonPropertyName("clusterNamespace")] public required string ClusterNamespace { get; init; }
    [JsonPropertyName("clusterName")] public required string ClusterName { get; init; }
    [JsonPropertyName("machineName")] public required string MachineName { get; init; }
    [JsonPropertyName("role")] public required string Role { get; init; }
    [JsonPropertyName("version")] public string? Version { get; init; }
    [JsonPropertyName("addresses")] public required IReadOnlyList<VmAddress> Addresses { get; init; }
    [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the VM, its Node and (control plane) etcd and API server are all expected up.</summary>
    [JsonPropertyName("readyAt")] public required DateTimeOffset ReadyAt { get; init; }

    [JsonPropertyName("vm")] public required ComponentStatus Vm { get; init; }
    [JsonPropertyName("node")] public required ComponentStatus Node { get; init; }
    [JsonPropertyName("etcd")] public ComponentStatus? Etcd { get; init; }
    [JsonPropertyName("apiServer")] public ComponentStatus? ApiServer { get; init; }

    /// <summary>Whether the Node reports Ready (false while failure injection holds it NotReady).</summary>
    [JsonPropertyName("nodeReady")] public bool NodeReady { get; init; }

    [JsonPropertyName("failureReason")] public string? FailureReason { get; init; }
    [JsonPropertyName("failureMessage")] public string? FailureMessage { get; init; }
}

/// <summary>Body of <c>POST /v1/vms/{id}/node-condition</c>: failure injection on a running Node.</summary>
public sealed record NodeConditionRequest([property: JsonPropertyName("ready")] bool Ready);

/// <summary>A workload cluster's load balancer: where its API server answers.</summary>
/// <param name="Server">The workload cluster's API server URL. The in-memory cloud serves every workload
/// cluster from one server under the path prefix <c>/clusters/&lt;ns&gt;--&lt;name&gt;</c>, so this is
/// not just <c>http://host:port</c>.</param>
public sealed record ClusterResponse(
    [property: JsonPropertyName("namespace")] string Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("port")] int Port,
    [property: JsonPropertyName("server")] string Server);

/// <summary>Naming rules shared by the cloud and its callers.</summary>
public static class InMemoryCloudNames
{
    /// <summary>The key of a workload cluster inside the cloud's API server: <c>&lt;ns&gt;--&lt;name&gt;</c>.</summary>
    public static string ClusterKey(string ns, string name) => $"{ns}--{name}";

    public static string ProviderId(string ns, string cluster, string machine) => $"in-memory://{ns}/{cluster}/{machine}";
}
