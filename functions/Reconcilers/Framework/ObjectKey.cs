using System.Text.Json.Serialization;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Identifies one reconciled Kubernetes object (its entity's key is kind and uid).</summary>
public sealed record ObjectKey(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string Uid)
{
    /// <summary>The durable instance id for an object: its entity's, <c>@objectreconcile@Kind.uid</c> (a recreated
    /// namesake gets a new instance).</summary>
    public string InstanceId => InstanceIdFor(Kind, Uid);

    public static string InstanceIdFor(string kind, string uid) =>
        Workflows.Entity.ObjectReconcileEntity.IdFor(new Workflows.Reconcile.ObjectKey(kind, "", "", uid)).ToString();

    public override string ToString() => Namespace is null ? $"{Kind} {Name}" : $"{Kind} {Namespace}/{Name}";
}
