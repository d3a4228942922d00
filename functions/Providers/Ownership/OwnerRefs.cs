using System.Text.Json.Nodes;
using k8s.Models;

namespace ServerlessCapi.Providers.Ownership;

/// <summary>The one place every owner reference the reconcilers and providers write is built. A reference needs the
/// owner's apiVersion, kind, name and uid: one without a uid or a name points at nothing, and the garbage collector
/// deletes an object whose only owners do not exist. So a reference that lacks any of them is refused here, before
/// anything is written.</summary>
public static class OwnerRefs
{
    /// <summary>A reference to <paramref name="owner"/>; throws <see cref="InvalidOwnerReferenceException"/> when the
    /// owner has no name or uid (e.g. it was never read from the API server) or the kind or apiVersion is empty.</summary>
    public static V1OwnerReference For(string apiVersion, string kind, V1ObjectMeta? owner, bool controller)
    {
        var reference = new V1OwnerReference
        {
            ApiVersion = apiVersion,
            Kind = kind,
            Name = owner?.Name,
            Uid = owner?.Uid,
            Controller = controller ? true : null,
            BlockOwnerDeletion = controller ? true : null,
        };
        Check(reference);
        return reference;
    }

    /// <summary>Throws unless the reference names an owner completely.</summary>
    public static void Check(V1OwnerReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var missing = new List<string>();
        if (string.IsNullOrEmpty(reference.ApiVersion)) missing.Add("apiVersion");
        if (string.IsNullOrEmpty(reference.Kind)) missing.Add("kind");
        if (string.IsNullOrEmpty(reference.Name)) missing.Add("name");
        if (string.IsNullOrEmpty(reference.Uid)) missing.Add("uid");
        if (missing.Count > 0) throw new InvalidOwnerReferenceException(reference.Kind, reference.Name, missing);
    }

    /// <summary>The reference as JSON, for objects written as JSON (checked like <see cref="For"/>).</summary>
    public static JsonObject ToJson(V1OwnerReference reference)
    {
        Check(reference);
        var json = new JsonObject
        {
            ["apiVersion"] = reference.ApiVersion,
            ["kind"] = reference.Kind,
            ["name"] = reference.Name,
            ["uid"] = reference.Uid,
        };
        if (reference.Controller == true) json["controller"] = true;
        if (reference.BlockOwnerDeletion == true) json["blockOwnerDeletion"] = true;
        return json;
    }
}

/// <summary>An owner reference would have lacked a field the API needs to find the owner. Not retried into success:
/// the caller reports it (a condition with a reason) and stops until the object changes.</summary>
public sealed class InvalidOwnerReferenceException(string? kind, string? name, IReadOnlyList<string> missing)
    : InvalidOperationException($"refusing to write an owner reference to {kind ?? "(no kind)"} {name ?? "(no name)"} without {string.Join(", ", missing)}")
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
