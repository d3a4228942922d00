using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace ServerlessCapi.Kube.Access;

/// <summary>Where a kind is served: group, version, plural and scope.</summary>
public sealed record KubeResource(string Group, string Version, string Plural, string Kind, bool Namespaced = true)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The collection path below the server root (namespace ignored for cluster-scoped kinds).</summary>
    public string CollectionPath(string? ns)
    {
        var prefix = Group.Length == 0 ? $"/api/{Version}" : $"/apis/{Group}/{Version}";
        return Namespaced && ns is not null ? $"{prefix}/namespaces/{ns}/{Plural}" : $"{prefix}/{Plural}";
    }
}

/// <summary>Maps CLR types to the resources that serve them.</summary>
public static class KubeResources
{
    private static readonly ConcurrentDictionary<Type, KubeResource> ByType = new();

    static KubeResources()
    {
        Register<V1Secret>(new KubeResource("", "v1", "secrets", "Secret"));
        Register<V1ConfigMap>(new KubeResource("", "v1", "configmaps", "ConfigMap"));
        Register<V1Node>(new KubeResource("", "v1", "nodes", "Node", Namespaced: false));
        Register<V1Namespace>(new KubeResource("", "v1", "namespaces", "Namespace", Namespaced: false));
        Register<V1Pod>(new KubeResource("", "v1", "pods", "Pod"));
        Register<V1DaemonSet>(new KubeResource("apps", "v1", "daemonsets", "DaemonSet"));
        Register<V1Lease>(new KubeResource("coordination.k8s.io", "v1", "leases", "Lease"));
        Register<Corev1Event>(new KubeResource("", "v1", "events", "Event"));
    }

    public static void Register<T>(KubeResource resource) where T : IKubernetesObject => ByType[typeof(T)] = resource;

    public static void Register(Type type, KubeResource resource) => ByType[type] = resource;

    public static KubeResource For<T>() => For(typeof(T));

    public static KubeResource For(Type type) =>
        ByType.TryGetValue(type, out var r)
            ? r
            : throw new InvalidOperationException($"No Kubernetes resource is registered for {type.Name}.");
}
