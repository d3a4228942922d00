namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>The built-in kinds every cluster serves, with the columns kubectl shows for them.</summary>
public static class BuiltInTypes
{
    private const string Age = ".metadata.creationTimestamp";

    public static readonly ResourceType Namespaces = new()
    {
        Group = "",
        Versions = ["v1"],
        Plural = "namespaces",
        Singular = "namespace",
        Kind = "Namespace",
        Namespaced = false,
        ShortNames = ["ns"],
        HasStatus = true,
        Behavior = KindBehavior.Namespace,
        Columns = [new("Status", "string", ".status.phase"), new("Age", "date", Age)],
    };

    public static readonly ResourceType Secrets = new()
    {
        Group = "",
        Versions = ["v1"],
        Plural = "secrets",
        Singular = "secret",
        Kind = "Secret",
        Namespaced = true,
        Behavior = KindBehavior.Plain,
        Columns = [new("Type", "string", ".type"), new("Data", "integer", "#count(.data)"), new("Age", "date", Age)],
    };

    public static readonly ResourceType ConfigMaps = new()
    {
        Group = "",
        Versions = ["v1"],
        Plural = "configmaps",
        Singular = "configmap",
        Kind = "ConfigMap",
        Namespaced = true,
        ShortNames = ["cm"],
        Behavior = KindBehavior.Plain,
        Columns = [new("Data", "integer", "#count(.data,.binaryData)"), new("Age", "date", Age)],
    };

    /// <summary>kube-apiserver's event columns (its printer reads the stored core form for both event APIs).</summary>
    private static readonly PrinterColumn[] EventColumns =
    [
        new("Last Seen", "string", "#eventLastSeen"), new("Type", "string", ".type"),
        new("Reason", "string", ".reason"), new("Object", "string", "#object(.involvedObject)"),
        new("Subobject", "string", ".involvedObject.fieldPath", Priority: 1), new("Source", "string", "#eventSource", Priority: 1),
        new("Message", "string", "#trim(.message)"), new("First Seen", "string", "#eventFirstSeen", Priority: 1),
        new("Count", "integer", "#eventCount", Priority: 1), new("Name", "string", ".metadata.name", Priority: 1, Format: "name"),
    ];

    public static readonly ResourceType Events = new()
    {
        Group = "",
        Versions = ["v1"],
        Plural = "events",
        Singular = "event",
        Kind = "Event",
        Namespaced = true,
        ShortNames = ["ev"],
        Behavior = KindBehavior.Plain,
        Columns = EventColumns,
        NameColumnFirst = false,
    };

    /// <summary>events.k8s.io/v1 events: the core events, converted (one store, one resourceVersion, as in Kubernetes).</summary>
    public static readonly ResourceType EventsV1 = new()
    {
        Group = "events.k8s.io",
        Versions = ["v1"],
        Plural = "events",
        Singular = "event",
        Kind = "Event",
        Namespaced = true,
        ShortNames = ["ev"],
        Behavior = KindBehavior.Plain,
        Columns = EventColumns,
        NameColumnFirst = false,
        StoredAs = EventConversion.Instance,
    };

    public static readonly ResourceType Nodes = new()
    {
        Group = "",
        Versions = ["v1"],
        Plural = "nodes",
        Singular = "node",
        Kind = "Node",
        Namespaced = false,
        ShortNames = ["no"],
        HasStatus = true,
        Behavior = KindBehavior.Plain,
        Columns =
        [
            new("Status", "string", "#nodeStatus"), new("Roles", "string", "#nodeRoles"),
            new("Age", "date", Age), new("Version", "string", ".status.nodeInfo.kubeletVersion"),
        ],
    };

    /// <summary>Pods, so a workload cluster can hold what a drain evicts (no kubelet runs them; deletion is immediate).</summary>
    public static readonly ResourceType Pods = new()
    {
        Group = "",
        Versions = ["v1"],
        Plural = "pods",
        Singular = "pod",
        Kind = "Pod",
        Namespaced = true,
        ShortNames = ["po"],
        Categories = ["all"],
        HasStatus = true,
        Behavior = KindBehavior.Plain,
        Columns = [new("Status", "string", ".status.phase"), new("Node", "string", ".spec.nodeName"), new("Age", "date", Age)],
    };

    /// <summary>DaemonSets, which a drain looks up to tell a DaemonSet's Pods from orphans.</summary>
    public static readonly ResourceType DaemonSets = new()
    {
        Group = "apps",
        Versions = ["v1"],
        Plural = "daemonsets",
        Singular = "daemonset",
        Kind = "DaemonSet",
        Namespaced = true,
        ShortNames = ["ds"],
        Categories = ["all"],
        HasStatus = true,
        Behavior = KindBehavior.Plain,
        Columns = [new("Desired", "integer", ".status.desiredNumberScheduled"), new("Ready", "integer", ".status.numberReady"), new("Age", "date", Age)],
    };

    public static readonly ResourceType Leases = new()
    {
        Group = "coordination.k8s.io",
        Versions = ["v1"],
        Plural = "leases",
        Singular = "lease",
        Kind = "Lease",
        Namespaced = true,
        Behavior = KindBehavior.Plain,
        Columns = [new("Holder", "string", ".spec.holderIdentity"), new("Age", "date", Age)],
    };

    public static readonly ResourceType CustomResourceDefinitions = new()
    {
        Group = "apiextensions.k8s.io",
        Versions = ["v1"],
        Plural = "customresourcedefinitions",
        Singular = "customresourcedefinition",
        Kind = "CustomResourceDefinition",
        Namespaced = false,
        ShortNames = ["crd", "crds"],
        Categories = ["api-extensions"],
        HasStatus = true,
        Behavior = KindBehavior.CustomResourceDefinition,
        Columns = [new("Created At", "string", ".metadata.creationTimestamp")],
    };

    public static IReadOnlyList<ResourceType> All { get; } =
        [Namespaces, Secrets, ConfigMaps, Events, Nodes, Pods, EventsV1, DaemonSets, Leases, CustomResourceDefinitions,
            Admission.AdmissionTypes.MutatingWebhookConfigurations, Admission.AdmissionTypes.ValidatingWebhookConfigurations];
}
