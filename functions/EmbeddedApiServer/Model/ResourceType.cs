namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>A column of the server-side Table output (a CRD additionalPrinterColumn or a built-in default).</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority = 0, string Description = "", string Format = "");

/// <summary>The scale subresource mapping of a CRD version.</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

/// <summary>How the server treats a kind on writes (built-in quirks that a real API server has).</summary>
public enum KindBehavior
{
    /// <summary>A custom resource: generation on spec changes, status subresource per CRD.</summary>
    Custom,

    /// <summary>A built-in kind without generation (Secret, ConfigMap, Node, Lease, Event).</summary>
    Plain,

    /// <summary>A Namespace: status.phase, spec.finalizers, deletion empties it first.</summary>
    Namespace,

    /// <summary>A CustomResourceDefinition: generation, status conditions, registers its resources.</summary>
    CustomResourceDefinition,
}

/// <summary>One served resource (group + plural) with the facts discovery, storage and printing need.</summary>
public sealed record ResourceType
{
    public required string Group { get; init; }

    /// <summary>Served versions, the storage version first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    public required string Plural { get; init; }
    public required string Singular { get; init; }
    public required string Kind { get; init; }
    public string ListKind => Kind + "List";
    public required bool Namespaced { get; init; }
    public IReadOnlyList<string> ShortNames { get; init; } = [];
    public IReadOnlyList<string> Categories { get; init; } = [];
    public bool HasStatus { get; init; }
    public ScaleSubresource? Scale { get; init; }
    public IReadOnlyList<PrinterColumn> Columns { get; init; } = [];

    /// <summary>Tables start with a NAME column (kube-apiserver's event printer has none: its name comes last, wide only).</summary>
    public bool NameColumnFirst { get; init; } = true;
    public KindBehavior Behavior { get; init; } = KindBehavior.Custom;

    /// <summary>Set when the objects live in another resource's store (served here through a conversion).</summary>
    public StorageConversion? StoredAs { get; init; }

    /// <summary>Delete returns the object (custom resources, namespaces) rather than a Status.</summary>
    public bool DeleteReturnsObject => Behavior != KindBehavior.Plain;

    /// <summary>Whether strategic merge patch is served (built-in kinds only, as in Kubernetes).</summary>
    public bool StrategicMerge => Behavior is KindBehavior.Plain or KindBehavior.Namespace;

    /// <summary>The CRD's OpenAPI v3 schema of the storage version, for pruning unknown fields.</summary>
    public System.Text.Json.Nodes.JsonObject? Schema { get; init; }

    public string StorageVersion => Versions[0];
    public string Key => KeyOf(Group, Plural);
    public string GroupVersion(string version) => Group.Length == 0 ? version : $"{Group}/{version}";
    public bool Serves(string version) => Versions.Contains(version, StringComparer.Ordinal);

    public static string KeyOf(string group, string plural) => $"{group}/{plural}";
}
