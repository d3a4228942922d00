using Microsoft.Extensions.Logging;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>The cloud's behaviour behind its HTTP API: VMs whose state follows the clock, load balancers,
/// and the Nodes that appear in the workload clusters.</summary>
public sealed class InMemoryCloud(
    CloudStore store,
    IWorkloadClusters workloads,
    SettleQueue settle,
    TimeProvider clock,
    ILogger<InMemoryCloud> logger)
{
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(2);

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Creates the VM, or returns the one with that id (create-or-get).</summary>
    public async Task<(VmResponse Vm, bool Created)> CreateVmAsync(string id, CreateVmRequest request, CancellationToken ct)
    {
        var (record, created) = await store.AddOrGetVmAsync(VmRecord.Create(id, request, Now), ct);
        if (created)
        {
            logger.LogInformation("VM {Id} created for {Namespace}/{Machine} ({Role}); ready at {ReadyAt:o}",
                id, record.ClusterNamespace, record.MachineName, record.Role, record.Timeline.ReadyAt);
            settle.Schedule(id, record.NodeReadyAt);
        }
        return (record.ToResponse(Now), created);
    }

    /// <summary>The VM as of now; brings its Node in line first when that is due, so a Node appears even
    /// when the background loop is behind.</summary>
    public async Task<VmResponse?> GetVmAsync(string id, CancellationToken ct)
    {
        var record = await store.GetVmAsync(id, ct);
        if (record is null) return null;
        if (!record.NodeInSync && record.Timeline.NodeDue(Now, record.FailBoot))
            record = await SettleOrScheduleAsync(id, ct) ?? record;
        return record.ToResponse(Now);
    }

    /// <summary>Deletes the VM and its Node (idempotent: an unknown id is already deleted).</summary>
    public async Task DeleteVmAsync(string id, CancellationToken ct)
    {
        var marked = await store.UpdateVmAsync(id, r =>
        {
            if (r.Deleting) return false;
            r.Deleting = true;
            return true;
        }, ct);
        if (marked is null) return;
        logger.LogInformation("VM {Id} ({Machine}) deleting", id, marked.MachineName);
        await SettleOrScheduleAsync(id, ct);
    }

    /// <summary>Failure injection: makes the VM's Node report Ready or NotReady.</summary>
    public async Task<VmResponse?> SetNodeReadyAsync(string id, bool ready, CancellationToken ct)
    {
        var record = await store.UpdateVmAsync(id, r =>
        {
            if (r.NodeNotReady == !ready) return false;
            r.NodeNotReady = !ready;
            r.NodeInSync = false;
            return true;
        }, ct);
        if (record is null) return null;
        logger.LogInformation("VM {Id} node readiness set to {Ready}", id, ready);
        if (!record.NodeInSync && record.Timeline.NodeDue(Now, record.FailBoot))
            record = await SettleOrScheduleAsync(id, ct) ?? record;
        return record.ToResponse(Now);
    }

    /// <summary>Creates the workload cluster's load balancer (create-or-get).</summary>
    public async Task<(ClusterResponse Cluster, bool Created)> EnsureClusterAsync(string ns, string name, CancellationToken ct)
    {
        var key = InMemoryCloudNames.ClusterKey(ns, name);
        await workloads.EnsureClusterAsync(key, ct);
        var (_, created) = await store.AddOrGetClusterAsync(
            new ClusterRecord { RowKey = key, Namespace = ns, Name = name, CreatedAt = Now }, ct);
        if (created) logger.LogInformation("Load balancer for cluster {Namespace}/{Name} created", ns, name);
        return (ClusterResponseFor(ns, name), created);
    }

    public async Task<ClusterResponse?> GetClusterAsync(string ns, string name, CancellationToken ct) =>
        await store.GetClusterAsync(InMemoryCloudNames.ClusterKey(ns, name), ct) is null ? null : ClusterResponseFor(ns, name);

    /// <summary>Deletes the load balancer and the workload cluster with everything in it (idempotent). VMs of the
    /// cluster still there (their machine's deletion raced their creation, or never ran) are deleted with it: no VM
    /// outlives its cluster.</summary>
    public async Task DeleteClusterAsync(string ns, string name, CancellationToken ct)
    {
        var key = InMemoryCloudNames.ClusterKey(ns, name);
        foreach (var vm in await store.ListVmsOfClusterAsync(ns, name, ct))
            await DeleteVmAsync(vm.RowKey, ct);
        await workloads.DeleteClusterAsync(key, ct);
        await store.DeleteClusterAsync(key, ct);
        logger.LogInformation("Load balancer for cluster {Namespace}/{Name} deleted", ns, name);
    }

    /// <summary>Brings one VM's Node (and, when deleting, its record) in line with the record.
    /// Returns when to look again, or null when settled.</summary>
    public async Task<DateTimeOffset?> SettleAsync(string id, CancellationToken ct) => (await SettleCoreAsync(id, ct)).Next;

    /// <summary>VMs a previous run left unsettled (the background loop resumes them at start).</summary>
    public async Task ResumeAsync(CancellationToken ct)
    {
        var unsettled = await store.ListUnsettledVmsAsync(ct);
        foreach (var vm in unsettled)
            settle.Schedule(vm.Id, vm.Deleting ? Now : vm.NodeReadyAt);
        if (unsettled.Count > 0) logger.LogInformation("Resuming {Count} VMs whose Nodes are not settled", unsettled.Count);
    }

    private async Task<VmRecord?> SettleOrScheduleAsync(string id, CancellationToken ct)
    {
        try
        {
            var (record, next) = await SettleCoreAsync(id, ct);
            if (next is { } at) settle.Schedule(id, at);
            return record;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The caller still gets an answer; the background loop keeps trying.
            logger.LogWarning(e, "Could not settle the Node of VM {Id}; retrying in the background", id);
            settle.Schedule(id, Now + RetryAfterError);
            return null;
        }
    }

    private async Task<(VmRecord? Record, DateTimeOffset? Next)> SettleCoreAsync(string id, CancellationToken ct)
    {
        var record = await store.GetVmAsync(id, ct);
        if (record is null) return (null, null);
        var now = Now;
        if (record.Deleting)
        {
            await workloads.DeleteNodeAsync(record.ClusterKey, record.MachineName, ct);
            if (!await store.DeleteVmAsync(record, ct)) return (record, now);
            logger.LogInformation("VM {Id} ({Machine}) deleted", id, record.MachineName);
            return (null, null);
        }
        if (record.NodeInSync) return (record, null);
        if (!record.Timeline.NodeDue(now, record.FailBoot))
            return (record, record.FailBoot ? null : record.NodeReadyAt);

        await workloads.EnsureClusterAsync(record.ClusterKey, ct);
        await workloads.EnsureNodeAsync(record.ClusterKey, NodeFactory.For(record, now), ct);
        var applied = record.NodeNotReady;
        var updated = await store.UpdateVmAsync(id, r =>
        {
            // A change that raced with us (readiness flipped, delete started) keeps the record unsettled.
            if (r.NodeInSync || r.Deleting || r.NodeNotReady != applied) return false;
            r.NodeInSync = true;
            return true;
        }, ct);
        if (updated is null) return (null, null);
        if (!updated.NodeInSync) return (updated, now);
        logger.LogInformation("Node {Node} of VM {Id} is in cluster {Cluster} (ready: {Ready})",
            updated.MachineName, id, updated.ClusterKey, !applied);
        return (updated, null);
    }

    private ClusterResponse ClusterResponseFor(string ns, string name)
    {
        var server = workloads.ServerUrl(InMemoryCloudNames.ClusterKey(ns, name));
        return new ClusterResponse(ns, name, server.Host, server.Port, server.ToString().TrimEnd('/'));
    }
}
