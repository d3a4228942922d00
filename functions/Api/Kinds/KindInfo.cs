namespace ServerlessCapi.Api;

/// <summary>Everything the product needs to know about one served kind: names, scope, subresources,
/// kubectl columns and the CLR types.</summary>
public sealed record KindInfo(
    string Group,
    string Version,
    string Kind,
    string Plural,
    string Singular,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    IReadOnlyList<PrinterColumn> PrinterColumns,
    bool HasStatusSubresource,
    ScaleSubresource? Scale,
    Type ClrType,
    Type ListClrType)
{
    public string ListKind => Kind + "List";

    /// <summary>Whether the schema requires <c>spec</c> (as CAPI's does for core kinds and the control plane).</summary>
    public bool SpecRequired { get; init; }

    public string ApiVersion => $"{Group}/{Version}";

    /// <summary>The CustomResourceDefinition name (<c>plural.group</c>).</summary>
    public string CrdName => $"{Plural}.{Group}";

    /// <summary>True for kinds of a provider (bootstrap, control plane, infrastructure), whose CRDs carry
    /// the contract label.</summary>
    public bool IsProvider => Group is not (CapiGroups.Core or CapiGroups.Addons);

    /// <summary>The path of a namespaced object's collection, e.g. <c>/apis/cluster.x-k8s.io/v1beta2/namespaces/ns/machines</c>.</summary>
    public string CollectionPath(string? ns) =>
        Namespaced && ns is not null ? $"/apis/{Group}/{Version}/namespaces/{ns}/{Plural}" : $"/apis/{Group}/{Version}/{Plural}";

    /// <summary>A new, empty object of this kind.</summary>
    public KubeObject Create() => (KubeObject)Activator.CreateInstance(ClrType)!;
}

/// <summary>A kubectl column (<c>additionalPrinterColumns</c>).</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority = 0, string? Description = null);

/// <summary>Paths of the scale subresource.</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);
