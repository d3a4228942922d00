using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.ProviderCommon;

/// <summary>Registers where every Cluster API kind is served, so <see cref="KubeApi"/> can read and write them.</summary>
public static class ProviderResources
{
    private static readonly Lazy<bool> Registered = new(() =>
    {
        foreach (var k in CapiKinds.All)
            KubeResources.Register(k.ClrType, new KubeResource(k.Group, k.Version, k.Plural, k.Kind, k.Namespaced));
        return true;
    });

    /// <summary>Idempotent; call at startup (and in tests) before using the typed kinds.</summary>
    public static void Register() => _ = Registered.Value;
}
