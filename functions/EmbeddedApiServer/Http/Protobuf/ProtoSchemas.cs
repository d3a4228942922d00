namespace ServerlessCapi.EmbeddedApiServer.Http.Protobuf;

/// <summary>How one protobuf field maps to JSON.</summary>
internal enum FieldKind { String, Bytes, Int, Bool, Time, Message, StringMap, BytesMap, RepeatedString, RepeatedMessage }

internal sealed record ProtoField(string Name, FieldKind Kind, ProtoMessage? Message = null);

/// <summary>A message layout: field number to JSON name and kind.</summary>
internal sealed class ProtoMessage(Dictionary<int, ProtoField> fields)
{
    public Dictionary<int, ProtoField> Fields { get; } = fields;
}

/// <summary>Field numbers of the built-in kinds kubectl's typed commands send as protobuf
/// (from Kubernetes' published generated.proto files).</summary>
internal static class ProtoSchemas
{
    private static readonly ProtoMessage OwnerReference = new(new()
    {
        [1] = new("kind", FieldKind.String),
        [3] = new("name", FieldKind.String),
        [4] = new("uid", FieldKind.String),
        [5] = new("apiVersion", FieldKind.String),
        [6] = new("controller", FieldKind.Bool),
        [7] = new("blockOwnerDeletion", FieldKind.Bool),
    });

    private static readonly ProtoMessage ObjectMeta = new(new()
    {
        [1] = new("name", FieldKind.String),
        [2] = new("generateName", FieldKind.String),
        [3] = new("namespace", FieldKind.String),
        [5] = new("uid", FieldKind.String),
        [6] = new("resourceVersion", FieldKind.String),
        [7] = new("generation", FieldKind.Int),
        [8] = new("creationTimestamp", FieldKind.Time),
        [11] = new("labels", FieldKind.StringMap),
        [12] = new("annotations", FieldKind.StringMap),
        [13] = new("ownerReferences", FieldKind.RepeatedMessage, OwnerReference),
        [14] = new("finalizers", FieldKind.RepeatedString),
    });

    private static readonly ProtoMessage NamespaceSpec = new(new() { [1] = new("finalizers", FieldKind.RepeatedString) });

    public static readonly Dictionary<string, ProtoMessage> ByKind = new(StringComparer.Ordinal)
    {
        ["ConfigMap"] = new(new()
        {
            [1] = new("metadata", FieldKind.Message, ObjectMeta),
            [2] = new("data", FieldKind.StringMap),
            [3] = new("binaryData", FieldKind.BytesMap),
            [4] = new("immutable", FieldKind.Bool),
        }),
        ["Secret"] = new(new()
        {
            [1] = new("metadata", FieldKind.Message, ObjectMeta),
            [2] = new("data", FieldKind.BytesMap),
            [3] = new("type", FieldKind.String),
            [4] = new("stringData", FieldKind.StringMap),
            [5] = new("immutable", FieldKind.Bool),
        }),
        ["Namespace"] = new(new()
        {
            [1] = new("metadata", FieldKind.Message, ObjectMeta),
            [2] = new("spec", FieldKind.Message, NamespaceSpec),
        }),
        ["DeleteOptions"] = new(new()
        {
            [1] = new("gracePeriodSeconds", FieldKind.Int),
            [3] = new("orphanDependents", FieldKind.Bool),
            [4] = new("propagationPolicy", FieldKind.String),
            [5] = new("dryRun", FieldKind.RepeatedString),
        }),
    };
}
