using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Providers.Ownership;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Owner reference helpers (typed metadata and JSON objects alike).</summary>
public static class OwnerReferences
{
    /// <summary>A complete reference to <paramref name="owner"/>, or <see cref="InvalidOwnerReferenceException"/> (see
    /// <see cref="OwnerRefs"/>, which every owner reference written goes through).</summary>
    public static V1OwnerReference For(string apiVersion, string kind, V1ObjectMeta owner, bool controller) =>
        OwnerRefs.For(apiVersion, kind, owner, controller);

    public static V1OwnerReference? ControllerOf(V1ObjectMeta meta) => meta.OwnerReferences?.FirstOrDefault(o => o.Controller == true);

    /// <summary>Adds the reference unless one to the same object (uid) exists.</summary>
    public static bool Ensure(V1ObjectMeta meta, V1OwnerReference reference)
    {
        OwnerRefs.Check(reference);
        meta.OwnerReferences ??= [];
        if (meta.OwnerReferences.Any(o => o.Uid == reference.Uid)) return false;
        meta.OwnerReferences.Add(reference);
        return true;
    }

    /// <summary>Makes <paramref name="owner"/> the controller of a JSON object. Owner references that the
    /// creator put there "on create" (<paramref name="replaceUids"/>, e.g. the MachineSet that stamped out a
    /// Machine's infrastructure) are dropped. Returns the new ownerReferences array, or null when nothing
    /// changes or another controller owns the object (never stolen).</summary>
    public static JsonArray? WithController(JsonObject obj, V1OwnerReference owner, IReadOnlyCollection<string> replaceUids)
    {
        var existing = (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var kept = existing.Where(o => !replaceUids.Contains(ExternalObjects.Text(o, "uid") ?? "")).ToList();
        var current = kept.FirstOrDefault(o => ExternalObjects.Flag(o, "controller"));
        if (current is not null && ExternalObjects.Text(current, "uid") != owner.Uid) return null;
        if (current is not null && kept.Count == existing.Count) return null;

        var result = new JsonArray();
        foreach (var o in kept.Where(o => ExternalObjects.Text(o, "uid") != owner.Uid)) result.Add(o.DeepClone());
        result.Add(OwnerRefs.ToJson(new V1OwnerReference
        {
            ApiVersion = owner.ApiVersion,
            Kind = owner.Kind,
            Name = owner.Name,
            Uid = owner.Uid,
            Controller = true,
            BlockOwnerDeletion = true,
        }));
        return result;
    }
}
