using System.Runtime.Serialization;
using Azure;
using Azure.Data.Tables;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>One VM as stored in the cloud's table (partition <c>vm</c>, row = VM id).</summary>
public sealed class VmRecord : ITableEntity
{
    public const string Partition = "vm";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string ClusterNamespace { get; set; } = "";
    public string ClusterName { get; set; } = "";
    public string MachineName { get; set; } = "";
    public string Role { get; set; } = VmRoles.Worker;
    public string? Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset VmReadyAt { get; set; }
    public DateTimeOffset NodeReadyAt { get; set; }
    public DateTimeOffset? EtcdReadyAt { get; set; }
    public DateTimeOffset? ApiServerReadyAt { get; set; }

    public bool FailBoot { get; set; }
    public bool NodeNotReady { get; set; }

    /// <summary>The Node exists in the workload cluster with the readiness asked for (saves work, never trusted alone).</summary>
    public bool NodeInSync { get; set; }

    /// <summary>A delete started: the Node and then this row are being removed.</summary>
    public bool Deleting { get; set; }

    [IgnoreDataMember]
    public string Id => RowKey;
    [IgnoreDataMember]
    public string ClusterKey => InMemoryCloudNames.ClusterKey(ClusterNamespace, ClusterName);
    [IgnoreDataMember]
    public VmTimeline Timeline => new(CreatedAt, VmReadyAt, NodeReadyAt, EtcdReadyAt, ApiServerReadyAt);

    public static VmRecord Create(string id, CreateVmRequest request, DateTimeOffset now)
    {
        var timeline = VmTimeline.Plan(id, now, request);
        return new VmRecord
        {
            RowKey = id,
            ClusterNamespace = request.ClusterNamespace,
            ClusterName = request.ClusterName,
            MachineName = request.MachineName,
            Role = request.Role == VmRoles.ControlPlane ? VmRoles.ControlPlane : VmRoles.Worker,
            Version = request.Version,
            CreatedAt = now,
            VmReadyAt = timeline.VmReadyAt,
            NodeReadyAt = timeline.NodeReadyAt,
            EtcdReadyAt = timeline.EtcdReadyAt,
            ApiServerReadyAt = timeline.ApiServerReadyAt,
            FailBoot = request.FailBoot,
            NodeNotReady = request.NodeNotReady,
        };
    }

    /// <summary>The API's view of this VM at <paramref name="now"/>.</summary>
    public VmResponse ToResponse(DateTimeOffset now)
    {
        var t = Timeline;
        var state = t.StateAt(now, FailBoot, Deleting);
        var failed = state == VmState.Failed;
        return new VmResponse
        {
            Id = Id,
            ProviderId = InMemoryCloudNames.ProviderId(ClusterNamespace, ClusterName, MachineName),
            State = state,
            ClusterNamespace = ClusterNamespace,
            ClusterName = ClusterName,
            MachineName = MachineName,
            Role = Role,
            Version = Version,
            Addresses = VmAddresses.For(Id, MachineName),
            CreatedAt = CreatedAt,
            ReadyAt = t.ReadyAt,
            Vm = new ComponentStatus(t.VmReadyAt, !FailBoot && now >= t.VmReadyAt),
            Node = new ComponentStatus(t.NodeReadyAt, t.NodeDue(now, FailBoot)),
            Etcd = t.EtcdReadyAt is { } e ? new ComponentStatus(e, !FailBoot && now >= e) : null,
            ApiServer = t.ApiServerReadyAt is { } a ? new ComponentStatus(a, !FailBoot && now >= a) : null,
            NodeReady = t.NodeDue(now, FailBoot) && !NodeNotReady,
            FailureReason = failed ? "BootFailed" : null,
            FailureMessage = failed ? "The virtual machine failed to boot (failure injected with infrastructure.cluster.x-k8s.io/fail-boot)." : null,
        };
    }
}

/// <summary>One workload cluster (its load balancer) as stored in the cloud's table (partition <c>cluster</c>).</summary>
public sealed class ClusterRecord : ITableEntity
{
    public const string Partition = "cluster";

    public string PartitionKey { get; set; } = Partition;
    public string RowKey { get; set; } = "";
    public DateTimeOffset? Timestamp { get; set; }
    public ETag ETag { get; set; }

    public string Namespace { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}
