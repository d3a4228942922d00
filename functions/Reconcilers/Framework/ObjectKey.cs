using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Identifies one Kubernetes object; the payload of every object signal.</summary>
public sealed record ObjectKey(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string Uid)
{
    /// <summary>The signal every object change sends to the object's workflow instance.</summary>
    public const string ChangedSignal = "ObjectChanged";

    /// <summary>The durable instance id for an object: its entity's, <c>@objectreconcile@Kind.uid</c> (a recreated
    /// namesake gets a new instance).</summary>
    public string InstanceId => InstanceIdFor(Kind, Uid);

    public static string InstanceIdFor(string kind, string uid) =>
        Workflows.Entity.ObjectReconcileEntity.IdFor(new Workflows.Reconcile.ObjectKey(kind, "", "", uid)).ToString();

    public string ToJson() => JsonSerializer.Serialize(this);

    public static ObjectKey? FromJson(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<ObjectKey>(json);

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
