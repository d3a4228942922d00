using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Where the Cluster API kinds are served (from <see cref="CapiKinds"/>); also answers for kinds
/// known only by a contract reference.</summary>
public static class CapiResources
{
    private static readonly Lazy<IReadOnlyDictionary<(string Group, string Kind), KubeResource>> Known = new(Scan);

    /// <summary>Registers every Cluster API type with <see cref="KubeResources"/> (idempotent).</summary>
    public static void Register() => _ = Known.Value;

    /// <summary>The resource serving <paramref name="kind"/> of <paramref name="apiGroup"/>. A kind this product
    /// does not know (another provider's) is assumed to follow the CRD conventions: lower-case plural,
    /// served at the contract version.</summary>
    public static KubeResource For(string apiGroup, string kind) =>
        Known.Value.TryGetValue((apiGroup, kind), out var r)
            ? r
            : new KubeResource(apiGroup, CapiGroups.Version, kind.ToLowerInvariant() + "s", kind);

    public static KubeResource For(ContractVersionedObjectReference reference) => For(reference.ApiGroup, reference.Kind);

    private static Dictionary<(string, string), KubeResource> Scan()
    {
        var map = new Dictionary<(string, string), KubeResource>();
        foreach (var kind in CapiKinds.All)
        {
            var resource = new KubeResource(kind.Group, kind.Version, kind.Plural, kind.Kind, kind.Namespaced);
            map[(kind.Group, kind.Kind)] = resource;
            KubeResources.Register(kind.ClrType, resource);
        }
        return map;
    }
}
