namespace ServerlessCapi.Api;

/// <summary>The registry of every kind served, with CAPI's names, short names, categories, columns and
/// subresources.</summary>
public static class CapiKinds
{
    private static readonly string[] Categories = ["cluster-api"];
    private static readonly ScaleSubresource ReplicasScale = new(".spec.replicas", ".status.replicas", ".status.selector");

    private static PrinterColumn Condition(string name, string type, int priority = 0) =>
        new(name, "string", $".status.conditions[?(@.type==\"{type}\")].status", priority);

    private static readonly PrinterColumn Age = new("Age", "date", ".metadata.creationTimestamp");
    private static readonly PrinterColumn Paused = Condition("Paused", "Paused", 10);
    private static readonly PrinterColumn ClusterFromSpec = new("Cluster", "string", ".spec.clusterName");
    private static readonly PrinterColumn ClusterFromLabel = new("Cluster", "string", ".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']");

    private static PrinterColumn Int(string name, string path, int priority = 0) => new(name, "integer", path, priority);

    public static readonly KindInfo Cluster = Core<Cluster, ClusterList>("clusters", ["cl"], true, null,
    [
        new("ClusterClass", "string", ".spec.topology.classRef.name"),
        Condition("Available", "Available"),
        Int("CP Desired", ".status.controlPlane.desiredReplicas"),
        Int("CP Current", ".status.controlPlane.replicas", 10),
        Int("CP Ready", ".status.controlPlane.readyReplicas", 10),
        Int("CP Available", ".status.controlPlane.availableReplicas"),
        Int("CP Up-to-date", ".status.controlPlane.upToDateReplicas"),
        Int("W Desired", ".status.workers.desiredReplicas"),
        Int("W Current", ".status.workers.replicas", 10),
        Int("W Ready", ".status.workers.readyReplicas", 10),
        Int("W Available", ".status.workers.availableReplicas"),
        Int("W Up-to-date", ".status.workers.upToDateReplicas"),
        Paused,
        new("Phase", "string", ".status.phase"),
        Age,
        new("Version", "string", ".spec.topology.version"),
    ]);

    public static readonly KindInfo ClusterClass = Core<ClusterClass, ClusterClassList>("clusterclasses", ["cc"], true, null,
    [
        Paused,
        Condition("Variables Ready", "VariablesReady"),
        Age,
    ]);

    public static readonly KindInfo Machine = Core<Machine, MachineList>("machines", ["ma"], true, null,
    [
        ClusterFromSpec,
        new("Node Name", "string", ".status.nodeRef.name"),
        new("Provider ID", "string", ".spec.providerID", 10),
        new("Failure domain", "string", ".status.failureDomain"),
        Condition("Ready", "Ready"),
        Condition("Available", "Available"),
        Condition("Up-to-date", "UpToDate"),
        new("Internal-IP", "string", ".status.addresses[?(@.type==\"InternalIP\")].address", 10),
        new("External-IP", "string", ".status.addresses[?(@.type==\"ExternalIP\")].address", 10),
        new("OS-Image", "string", ".status.nodeInfo.osImage", 10),
        Paused,
        new("Phase", "string", ".status.phase"),
        Age,
        new("Version", "string", ".spec.version"),
    ]);

    public static readonly KindInfo MachineSet = Core<MachineSet, MachineSetList>("machinesets", ["ms"], true, ReplicasScale,
    [
        ClusterFromSpec,
        Int("Desired", ".spec.replicas"),
        Int("Current", ".status.replicas"),
        Int("Ready", ".status.readyReplicas"),
        Int("Available", ".status.availableReplicas"),
        Int("Up-to-date", ".status.upToDateReplicas"),
        Paused,
        Age,
        new("Version", "string", ".spec.template.spec.version"),
    ]);

    public static readonly KindInfo MachineDeployment = Core<MachineDeployment, MachineDeploymentList>("machinedeployments", ["md"], true, ReplicasScale,
    [
        ClusterFromSpec,
        Condition("Available", "Available"),
        Int("Desired", ".spec.replicas"),
        Int("Current", ".status.replicas"),
        Int("Ready", ".status.readyReplicas"),
        Int("Available", ".status.availableReplicas"),
        Int("Up-to-date", ".status.upToDateReplicas"),
        Paused,
        new("Phase", "string", ".status.phase"),
        Age,
        new("Version", "string", ".spec.template.spec.version"),
    ]);

    public static readonly KindInfo MachinePool = Core<MachinePool, MachinePoolList>("machinepools", ["mp"], true,
        new ScaleSubresource(".spec.replicas", ".status.replicas", null),
    [
        ClusterFromSpec,
        Int("Desired", ".spec.replicas"),
        Int("Current", ".status.replicas"),
        Int("Ready", ".status.readyReplicas"),
        Int("Available", ".status.availableReplicas"),
        Int("Up-to-date", ".status.upToDateReplicas"),
        Paused,
        new("Phase", "string", ".status.phase"),
        Age,
        new("Version", "string", ".spec.template.spec.version"),
    ]);

    public static readonly KindInfo MachineHealthCheck = Core<MachineHealthCheck, MachineHealthCheckList>("machinehealthchecks", ["mhc", "mhcs"], true, null,
    [
        ClusterFromSpec,
        Int("Replicas", ".status.expectedMachines"),
        Int("Healthy", ".status.currentHealthy"),
        Paused,
        Age,
    ]);

    public static readonly KindInfo MachineDrainRule = Core<MachineDrainRule, MachineDrainRuleList>("machinedrainrules", [], false, null,
    [
        new("Behavior", "string", ".spec.drain.behavior", Description: "Drain behavior"),
        new("Order", "string", ".spec.drain.order", Description: "Drain order"),
        Age,
    ]);

    public static readonly KindInfo KubeadmConfig = Of<KubeadmConfig, KubeadmConfigList>(CapiGroups.Bootstrap, "kubeadmconfigs", [], true, null,
    [
        ClusterFromLabel,
        Paused,
        new("Data secret created", "string", ".status.initialization.dataSecretCreated"),
        Age,
    ]);

    public static readonly KindInfo KubeadmConfigTemplate = Of<KubeadmConfigTemplate, KubeadmConfigTemplateList>(CapiGroups.Bootstrap, "kubeadmconfigtemplates", [], false, null,
    [
        new("ClusterClass", "string", ".metadata.ownerReferences[?(@.kind==\"ClusterClass\")].name"),
        new("Cluster", "string", ".metadata.ownerReferences[?(@.kind==\"Cluster\")].name"),
        Age,
    ]);

    public static readonly KindInfo KubeadmControlPlane = Of<KubeadmControlPlane, KubeadmControlPlaneList>(CapiGroups.ControlPlane, "kubeadmcontrolplanes", ["kcp"], true, ReplicasScale,
    [
        ClusterFromLabel,
        Condition("Available", "Available"),
        Int("Desired", ".spec.replicas"),
        Int("Current", ".status.replicas"),
        Int("Ready", ".status.readyReplicas"),
        Int("Available", ".status.availableReplicas"),
        Int("Up-to-date", ".status.upToDateReplicas"),
        Paused,
        new("Initialized", "boolean", ".status.initialization.controlPlaneInitialized"),
        Age,
        new("Version", "string", ".spec.version"),
    ]) with
    { SpecRequired = true };

    public static readonly KindInfo KubeadmControlPlaneTemplate = Of<KubeadmControlPlaneTemplate, KubeadmControlPlaneTemplateList>(CapiGroups.ControlPlane, "kubeadmcontrolplanetemplates", [], false, null,
    [
        new("ClusterClass", "string", ".metadata.ownerReferences[?(@.kind==\"ClusterClass\")].name"),
        Age,
    ]);

    public static readonly KindInfo DevCluster = Of<DevCluster, DevClusterList>(CapiGroups.Infrastructure, "devclusters", [], true, null,
    [
        ClusterFromLabel,
        Age,
    ]);

    public static readonly KindInfo DevClusterTemplate = Of<DevClusterTemplate, DevClusterTemplateList>(CapiGroups.Infrastructure, "devclustertemplates", [], false, null,
    [
        Age,
    ]);

    public static readonly KindInfo DevMachine = Of<DevMachine, DevMachineList>(CapiGroups.Infrastructure, "devmachines", [], true, null,
    [
        ClusterFromLabel,
        new("Provider ID", "string", ".spec.providerID", 10),
        new("Failure domain", "string", ".status.failureDomain"),
        new("IP", "string", ".status.addresses[?(@.type==\"InternalIP\")].address", 10),
        Paused,
        new("Provisioned", "string", ".status.initialization.provisioned"),
        Age,
    ]);

    public static readonly KindInfo DevMachineTemplate = Of<DevMachineTemplate, DevMachineTemplateList>(CapiGroups.Infrastructure, "devmachinetemplates", [], true, null,
    [
        Age,
    ]);

    public static readonly KindInfo DevMachinePool = Of<DevMachinePool, DevMachinePoolList>(CapiGroups.Infrastructure, "devmachinepools", [], true, null,
    [
        Age,
    ]);

    public static readonly KindInfo DevMachinePoolTemplate = Of<DevMachinePoolTemplate, DevMachinePoolTemplateList>(CapiGroups.Infrastructure, "devmachinepooltemplates", [], false, null,
    [
        Age,
    ]);

    public static readonly KindInfo ClusterResourceSet = Of<ClusterResourceSet, ClusterResourceSetList>(CapiGroups.Addons, "clusterresourcesets", [], true, null,
    [
        new("Applied", "string", ".status.conditions[?(@.type==\"ResourcesApplied\")].status", Description: "Resource applied"),
        new("Paused", "string", ".status.conditions[?(@.type==\"Paused\")].status", 10, "Reconciliation paused"),
        Age,
    ]) with
    { SpecRequired = true };

    public static readonly KindInfo ClusterResourceSetBinding = Of<ClusterResourceSetBinding, ClusterResourceSetBindingList>(CapiGroups.Addons, "clusterresourcesetbindings", [], false, null,
    [
        new("Cluster", "string", ".spec.clusterName", Description: "Cluster"),
        Age,
    ]) with
    { SpecRequired = true };

    /// <summary>Every kind, core first.</summary>
    public static IReadOnlyList<KindInfo> All { get; } =
    [
        Cluster, ClusterClass, Machine, MachineSet, MachineDeployment, MachinePool, MachineHealthCheck, MachineDrainRule,
        KubeadmConfig, KubeadmConfigTemplate,
        KubeadmControlPlane, KubeadmControlPlaneTemplate,
        DevCluster, DevClusterTemplate, DevMachine, DevMachineTemplate, DevMachinePool, DevMachinePoolTemplate,
        ClusterResourceSet, ClusterResourceSetBinding,
    ];

    private static readonly Dictionary<(string ApiVersion, string Kind), KindInfo> ByApiVersionKind =
        All.ToDictionary(k => (k.ApiVersion, k.Kind));

    private static readonly Dictionary<(string Group, string Plural), KindInfo> ByGroupPlural =
        All.ToDictionary(k => (k.Group, k.Plural));

    private static readonly Dictionary<Type, KindInfo> ByType = All.ToDictionary(k => k.ClrType);

    /// <summary>The kind for an apiVersion and kind, or null when it is not one of ours.</summary>
    public static KindInfo? Find(string? apiVersion, string? kind) =>
        apiVersion is not null && kind is not null && ByApiVersionKind.TryGetValue((apiVersion, kind), out var info) ? info : null;

    /// <summary>The kind for an API group and resource (plural) name.</summary>
    public static KindInfo? FindByResource(string group, string plural) =>
        ByGroupPlural.TryGetValue((group, plural), out var info) ? info : null;

    /// <summary>The kind of a CLR type.</summary>
    public static KindInfo For(Type type) =>
        ByType.TryGetValue(type, out var info) ? info : throw new ArgumentException($"{type.Name} is not a served kind.", nameof(type));

    public static KindInfo For<T>()
        where T : KubeObject => For(typeof(T));

    /// <summary>The kinds of one API group.</summary>
    public static IEnumerable<KindInfo> InGroup(string group) => All.Where(k => k.Group == group);

    private static KindInfo Core<T, TList>(string plural, string[] shortNames, bool status, ScaleSubresource? scale, PrinterColumn[] columns)
        where T : KubeObject, new() => Of<T, TList>(CapiGroups.Core, plural, shortNames, status, scale, columns) with { SpecRequired = true };

    private static KindInfo Of<T, TList>(string group, string plural, string[] shortNames, bool status, ScaleSubresource? scale, PrinterColumn[] columns)
        where T : KubeObject, new()
    {
        var kind = new T().Kind;
        return new KindInfo(group, CapiGroups.Version, kind, plural, kind.ToLowerInvariant(), Namespaced: true, shortNames, Categories, columns,
            status, scale, typeof(T), typeof(TList));
    }
}
