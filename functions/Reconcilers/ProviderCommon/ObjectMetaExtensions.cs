using k8s.Models;
using ServerlessCapi.Providers.Ownership;

namespace ServerlessCapi.Reconcilers.ProviderCommon;

/// <summary>Owner references, finalizers, labels and annotations on typed metadata.</summary>
public static class ObjectMetaExtensions
{
    /// <summary>The controlling owner when it is of <paramref name="kind"/> in <paramref name="group"/>.</summary>
    public static V1OwnerReference? ControllerOfKind(this V1ObjectMeta meta, string group, string kind) =>
        meta.OwnerReferences?.FirstOrDefault(o =>
            o.Controller == true && o.Kind == kind && (o.ApiVersion ?? "").StartsWith(group + "/", StringComparison.Ordinal));

    public static V1OwnerReference ControllerReference(string apiVersion, string kind, V1ObjectMeta owner) =>
        OwnerRefs.For(apiVersion, kind, owner, controller: true);

    public static bool AddFinalizer(this V1ObjectMeta meta, string finalizer)
    {
        meta.Finalizers ??= [];
        if (meta.Finalizers.Contains(finalizer)) return false;
        meta.Finalizers.Add(finalizer);
        return true;
    }

    public static bool RemoveFinalizer(this V1ObjectMeta meta, string finalizer) =>
        meta.Finalizers is not null && meta.Finalizers.Remove(finalizer);

    public static string? Label(this V1ObjectMeta meta, string key) =>
        meta.Labels is not null && meta.Labels.TryGetValue(key, out var v) ? v : null;

    public static string? Annotation(this V1ObjectMeta meta, string key) =>
        meta.Annotations is not null && meta.Annotations.TryGetValue(key, out var v) ? v : null;

    public static bool IsDeleting(this V1ObjectMeta meta) => meta.DeletionTimestamp is not null;
}
