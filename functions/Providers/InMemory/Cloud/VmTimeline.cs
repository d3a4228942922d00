using System.Security.Cryptography;
using System.Text;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>When each part of a VM comes up, fixed at creation; the VM's state is read off a clock.</summary>
/// <remarks>
/// Components start one after another, as in Cluster API's in-memory provider: the VM boots, then the
/// kubelet registers the Node, then (control plane only) etcd and then the API server start. Each takes
/// its duration × (1 ± jitter); the jitter factor is derived from the VM id, so the same id always gets
/// the same timeline and nothing random has to be remembered beyond the computed times.
/// </remarks>
public sealed record VmTimeline(
    DateTimeOffset CreatedAt,
    DateTimeOffset VmReadyAt,
    DateTimeOffset NodeReadyAt,
    DateTimeOffset? EtcdReadyAt,
    DateTimeOffset? ApiServerReadyAt)
{
    /// <summary>When everything the VM runs is up.</summary>
    public DateTimeOffset ReadyAt => ApiServerReadyAt ?? EtcdReadyAt ?? NodeReadyAt;

    public static VmTimeline Plan(string id, DateTimeOffset createdAt, CreateVmRequest request)
    {
        var controlPlane = request.Role == VmRoles.ControlPlane;
        var vm = createdAt + Jittered(id, "vm", request.Vm);
        var node = vm + Jittered(id, "node", request.Node);
        DateTimeOffset? etcd = controlPlane ? node + Jittered(id, "etcd", request.Etcd) : null;
        DateTimeOffset? apiServer = etcd is { } e ? e + Jittered(id, "apiServer", request.ApiServer) : null;
        return new VmTimeline(createdAt, vm, node, etcd, apiServer);
    }

    /// <summary>The state at <paramref name="now"/>. A VM that fails to boot fails when it would have come up.</summary>
    public VmState StateAt(DateTimeOffset now, bool failBoot, bool deleting)
    {
        if (deleting) return VmState.Deleting;
        if (failBoot) return now >= VmReadyAt ? VmState.Failed : VmState.Provisioning;
        return now >= ReadyAt ? VmState.Running : VmState.Provisioning;
    }

    /// <summary>Whether the Node should exist in the workload cluster at <paramref name="now"/>.</summary>
    public bool NodeDue(DateTimeOffset now, bool failBoot) => !failBoot && now >= NodeReadyAt;

    /// <summary>duration × (1 + jitter × u) with u in [-1, 1] derived from the id and component.</summary>
    public static TimeSpan Jittered(string id, string component, StartupTime? startup)
    {
        if (startup is null || startup.Duration <= TimeSpan.Zero) return TimeSpan.Zero;
        var jitter = Math.Clamp(startup.Jitter, 0, 1);
        if (jitter == 0) return startup.Duration;
        var factor = 1 + jitter * UnitInterval(id, component);
        return TimeSpan.FromTicks((long)(startup.Duration.Ticks * factor));
    }

    private static double UnitInterval(string id, string component)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{id}/{component}"));
        var value = BitConverter.ToUInt32(hash, 0);
        return value / (double)uint.MaxValue * 2 - 1;
    }
}
