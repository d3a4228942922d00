using ServerlessCapi.Api;
using ServerlessCapi.Providers.InMemory;

namespace ServerlessCapi.Reconcilers.DevMachine;

/// <summary>The cloud request for a DevMachine's VM, from the Machine, the Cluster and the in-memory backend spec.</summary>
public static class VmRequests
{
    /// <param name="version">The Kubernetes version when it is not the Machine's (a MachinePool instance runs the pool's).</param>
    public static CreateVmRequest For(Api.Machine machine, Api.Cluster cluster, InMemoryMachineBackendSpec backend, Api.DevMachine devMachine,
        string? version = null) => new()
        {
            ClusterNamespace = cluster.Metadata.NamespaceProperty,
            ClusterName = cluster.Metadata.Name,
            MachineName = machine.Metadata.Name,
            Role = machine.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) == true ? VmRoles.ControlPlane : VmRoles.Worker,
            Version = version ?? machine.Spec.Version,
            Vm = Startup(backend.Vm),
            Node = Startup(backend.Node),
            Etcd = Startup(backend.Etcd),
            ApiServer = Startup(backend.ApiServer),
            FailBoot = InMemoryAnnotations.IsSet(devMachine.Metadata.Annotations, InMemoryAnnotations.FailBoot)
                   || InMemoryAnnotations.IsSet(machine.Metadata.Annotations, InMemoryAnnotations.FailBoot),
            NodeNotReady = InMemoryAnnotations.IsSet(devMachine.Metadata.Annotations, InMemoryAnnotations.NodeNotReady)
                       || InMemoryAnnotations.IsSet(machine.Metadata.Annotations, InMemoryAnnotations.NodeNotReady),
        };

    private static StartupTime? Startup(InMemoryComponentSpec? component) =>
        component?.Provisioning is { } p && GoDuration.TryParse(p.StartupDuration, out var duration)
            ? new StartupTime(duration, p.StartupJitterValue)
            : null;
}
