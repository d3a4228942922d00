using k8s.Models;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>The Node a VM's kubelet would register, as the cloud wants it to look.</summary>
public static class NodeFactory
{
    public const string ControlPlaneRoleLabel = "node-role.kubernetes.io/control-plane";

    public static V1Node For(VmRecord vm, DateTimeOffset now)
    {
        var addresses = VmAddresses.For(vm.Id, vm.MachineName);
        var labels = new Dictionary<string, string>
        {
            ["kubernetes.io/hostname"] = vm.MachineName,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
        };
        if (vm.Role == VmRoles.ControlPlane) labels[ControlPlaneRoleLabel] = "";
        var ready = !vm.NodeNotReady;
        // Whole seconds: Kubernetes stores times at that precision, so a re-applied Node compares equal.
        var since = DateTimeOffset.FromUnixTimeSeconds(Math.Max(vm.NodeReadyAt.ToUnixTimeSeconds(), 0)).UtcDateTime;
        var transition = ready ? since : DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds()).UtcDateTime;
        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = vm.MachineName, Labels = labels },
            Spec = new V1NodeSpec { ProviderID = InMemoryCloudNames.ProviderId(vm.ClusterNamespace, vm.ClusterName, vm.MachineName) },
            Status = new V1NodeStatus
            {
                Addresses = addresses.Select(a => new V1NodeAddress { Type = a.Type, Address = a.Address }).ToList(),
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64",
                    BootID = vm.Id,
                    ContainerRuntimeVersion = "containerd://1.7.0",
                    KernelVersion = "6.1.0",
                    KubeProxyVersion = vm.Version ?? "",
                    KubeletVersion = vm.Version ?? "",
                    MachineID = vm.Id,
                    OperatingSystem = "linux",
                    OsImage = "In-memory Linux",
                    SystemUUID = vm.Id,
                },
                Conditions =
                [
                    new V1NodeCondition
                    {
                        Type = "Ready",
                        Status = ready ? "True" : "False",
                        LastHeartbeatTime = since,
                        LastTransitionTime = transition,
                        Reason = ready ? "KubeletReady" : "NodeStatusUnknown",
                        Message = ready ? "kubelet is posting ready status" : "kubelet stopped posting node status (failure injected)",
                    },
                    // A kubelet reports its pressure conditions too; CAPI's NodeHealthy needs all of them.
                    Pressure("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", since),
                    Pressure("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", since),
                    Pressure("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available", since),
                ],
            },
        };
    }

    private static V1NodeCondition Pressure(string type, string reason, string message, DateTime since) => new()
    {
        Type = type,
        Status = "False",
        LastHeartbeatTime = since,
        LastTransitionTime = since,
        Reason = reason,
        Message = message,
    };

    /// <summary>Whether the Node's readiness is what the VM record asks for.</summary>
    public static bool ReadyMatches(V1Node node, VmRecord vm)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True";
        return ready == !vm.NodeNotReady;
    }
}
