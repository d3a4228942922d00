using k8s.Models;
using ServerlessCapi.Api;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Support;

/// <summary>Builders for the objects of a small in-memory cluster.</summary>
public static class ProviderObjects
{
    public static Api.Cluster Cluster(string ns, string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new ClusterSpec
        {
            ClusterNetwork = new ClusterNetwork { Pods = new NetworkRanges { CidrBlocks = ["192.168.0.0/16"] } },
            InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = "DevCluster", Name = name },
            ControlPlaneRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.ControlPlane, Kind = "KubeadmControlPlane", Name = $"{name}-cp" },
        },
    };

    public static Api.DevCluster DevCluster(Api.Cluster owner) => new()
    {
        Metadata = Owned(owner.Metadata.Name, owner),
        Spec = new DevClusterSpec { Backend = new DevClusterBackendSpec { InMemory = new InMemoryClusterBackendSpec() } },
    };

    public static DevMachineTemplate Template(string ns, string name, string startup = "0s") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new DevMachineTemplateSpec
        {
            Template = new DevMachineTemplateResource { Spec = new DevMachineSpec { Backend = Backend(startup) } },
        },
    };

    public static DevMachineBackendSpec Backend(string startup) => new()
    {
        InMemory = new InMemoryMachineBackendSpec
        {
            Vm = Component(startup),
            Node = Component(startup),
            Etcd = Component(startup),
            ApiServer = Component(startup),
        },
    };

    public static Api.KubeadmControlPlane ControlPlane(Api.Cluster owner, int replicas, string version, string template) => new()
    {
        Metadata = Owned($"{owner.Metadata.Name}-cp", owner),
        Spec = new KubeadmControlPlaneSpec
        {
            Replicas = replicas,
            Version = version,
            MachineTemplate = new KubeadmControlPlaneMachineTemplate
            {
                Spec = new KubeadmControlPlaneMachineTemplateSpec
                {
                    InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = "DevMachineTemplate", Name = template },
                },
            },
            KubeadmConfigSpec = new KubeadmConfigSpec
            {
                ClusterConfiguration = new ClusterConfiguration { ApiServer = new ApiServerComponent { CertSans = ["localhost"] } },
                InitConfiguration = new InitConfiguration { NodeRegistration = new NodeRegistrationOptions { CriSocket = "unix:///run/containerd.sock" } },
                JoinConfiguration = new JoinConfiguration { NodeRegistration = new NodeRegistrationOptions { CriSocket = "unix:///run/containerd.sock" } },
                PreKubeadmCommands = ["echo hello"],
            },
        },
    };

    /// <summary>Metadata of an object the Cluster controls and labels as its own.</summary>
    public static V1ObjectMeta Owned(string name, Api.Cluster owner) => new()
    {
        Name = name,
        NamespaceProperty = owner.Metadata.NamespaceProperty,
        Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = owner.Metadata.Name },
        OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = CapiGroups.CoreApiVersion, Kind = "Cluster", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true,
            },
        ],
    };

    private static InMemoryComponentSpec Component(string startup) => new() { Provisioning = new InMemoryProvisioning { StartupDuration = startup } };
}
