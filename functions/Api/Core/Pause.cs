namespace ServerlessCapi.Api;

/// <summary>CAPI's pause rule: an object is not reconciled while its Cluster has <c>spec.paused</c> or the
/// object carries the paused annotation.</summary>
public static class Pause
{
    public static bool IsPaused(Cluster? cluster, KubeObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return cluster?.Spec.Paused == true || HasPausedAnnotation(obj);
    }

    public static bool HasPausedAnnotation(KubeObject obj) =>
        obj.Metadata.Annotations?.ContainsKey(CapiAnnotations.Paused) == true;
}
