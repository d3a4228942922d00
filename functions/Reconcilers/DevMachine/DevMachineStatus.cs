using ServerlessCapi.Api;
using ServerlessCapi.Providers.InMemory;

namespace ServerlessCapi.Reconcilers.DevMachine;

/// <summary>Every condition and field the DevMachine workflow reports, computed from what it observed.</summary>
/// <remarks>The conditions are those of CAPI's in-memory backend: VMProvisioned, NodeProvisioned and, on a
/// control-plane machine, EtcdProvisioned and APIServerProvisioned; Ready summarises them (and is what the
/// Machine mirrors into its InfrastructureReady condition).</remarks>
public static class DevMachineStatus
{
    /// <summary>Nothing asked of the cloud yet: the VM waits for <paramref name="reason"/>.</summary>
    public static void Waiting(Api.DevMachine obj, string reason, string message, DateTimeOffset now)
    {
        Set(obj, DevMachineConditions.InMemoryVMProvisioned, false, reason, message, now);
        Set(obj, DevMachineConditions.InMemoryNodeProvisioned, false, DevMachineReasons.InMemoryNodeWaitingForVMProvisioned, "", now);
        SummarizeReady(obj, now);
    }

    public static void Deleting(Api.DevMachine obj, DateTimeOffset now)
    {
        Set(obj, DevMachineConditions.InMemoryVMProvisioned, false, CommonReasons.Deleting, "Deleting the VM", now);
        Set(obj, DevMachineConditions.Ready, false, CommonReasons.Deleting, "Deleting the VM", now);
    }

    public static void FromVm(Api.DevMachine obj, VmResponse vm, DateTimeOffset now)
    {
        var failed = vm.State == VmState.Failed;
        if (failed)
            Set(obj, DevMachineConditions.InMemoryVMProvisioned, false, vm.FailureReason ?? DevMachineReasons.InMemoryVMInternalError, vm.FailureMessage ?? "The VM failed", now);
        else
            Component(obj, DevMachineConditions.InMemoryVMProvisioned, vm.Vm, null, null, DevMachineReasons.InMemoryVMProvisioned, "VM", now);
        Component(obj, DevMachineConditions.InMemoryNodeProvisioned, vm.Node, vm.Vm, DevMachineReasons.InMemoryNodeWaitingForVMProvisioned,
            DevMachineReasons.InMemoryNodeProvisioned, "Node", now);
        if (vm.Etcd is { } etcd)
            Component(obj, DevMachineConditions.InMemoryEtcdProvisioned, etcd, vm.Node, DevMachineReasons.InMemoryEtcdWaitingForNodeProvisioned,
                DevMachineReasons.InMemoryEtcdProvisioned, "etcd", now);
        if (vm.ApiServer is { } api)
            Component(obj, DevMachineConditions.InMemoryAPIServerProvisioned, api, vm.Node, DevMachineReasons.InMemoryAPIServerWaitingForNodeProvisioned,
                DevMachineReasons.InMemoryAPIServerProvisioned, "API server", now);

        obj.Status.Addresses = vm.Addresses.Select(a => new MachineAddress { Type = a.Type, Address = a.Address }).ToList();
        if (vm.State == VmState.Running)
        {
            obj.Status.Initialization ??= new InfrastructureInitializationStatus();
            obj.Status.Initialization.Provisioned = true;
        }
        SummarizeReady(obj, now);
    }

    private static void Component(Api.DevMachine obj, string type, ComponentStatus component, ComponentStatus? dependsOn,
        string? waitingForDependencyReason, string provisionedReason, string what, DateTimeOffset now)
    {
        if (component.Ready)
            Set(obj, type, true, provisionedReason, "", now);
        else if (dependsOn is { Ready: false } && waitingForDependencyReason is not null)
            Set(obj, type, false, waitingForDependencyReason, "", now);
        else
            Set(obj, type, false, DevMachineReasons.InMemoryVMWaitingForStartupTimeout,
                $"Waiting for the {what} to start (expected by {component.ReadyAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ})", now);
    }

    /// <summary>Ready is True when every provisioning condition is; otherwise it lists those that are not.</summary>
    private static void SummarizeReady(Api.DevMachine obj, DateTimeOffset now)
    {
        string[] types =
        [
            DevMachineConditions.InMemoryVMProvisioned, DevMachineConditions.InMemoryNodeProvisioned,
            DevMachineConditions.InMemoryEtcdProvisioned, DevMachineConditions.InMemoryAPIServerProvisioned,
        ];
        var notReady = types
            .Select(t => Conditions.Get(obj.Status, t))
            .Where(c => c is not null && c.Status != ConditionStatus.True)
            .Select(c => c!.Message.Length > 0 ? $"* {c.Type}: {c.Message}" : $"* {c.Type}: {c.Reason}")
            .ToList();
        if (notReady.Count == 0)
            Set(obj, DevMachineConditions.Ready, true, DevMachineReasons.Ready, "", now);
        else
            Set(obj, DevMachineConditions.Ready, false, DevMachineReasons.NotReady, string.Join("\n", notReady), now);
    }

    private static void Set(Api.DevMachine obj, string type, bool status, string reason, string message, DateTimeOffset now) =>
        Conditions.Set(obj.Status, type, ConditionStatus.Of(status), reason, message, obj.Metadata.Generation, now.UtcDateTime);
}
