using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.KubeadmConfig;

/// <summary>Every condition and field the KubeadmConfig workflow reports, in one place.</summary>
public static class KubeadmConfigStatus
{
    public static void DataSecretCreated(Api.KubeadmConfig obj, string secretName, DateTimeOffset now)
    {
        obj.Status.DataSecretName = secretName;
        obj.Status.Initialization ??= new BootstrapInitializationStatus();
        obj.Status.Initialization.DataSecretCreated = true;
        obj.Status.ObservedGeneration = obj.Metadata.Generation;
        Set(obj, KubeadmConfigConditions.DataSecretAvailable, true, KubeadmConfigReasons.DataSecretAvailable, "", now);
        Set(obj, KubeadmConfigConditions.Ready, true, KubeadmConfigReasons.Ready, "", now);
    }

    /// <summary>No data yet: why (the message never carries bootstrap data).</summary>
    public static void Waiting(Api.KubeadmConfig obj, string message, DateTimeOffset now)
    {
        obj.Status.ObservedGeneration = obj.Metadata.Generation;
        Set(obj, KubeadmConfigConditions.DataSecretAvailable, false, KubeadmConfigReasons.DataSecretNotAvailable, message, now);
        Set(obj, KubeadmConfigConditions.Ready, false, KubeadmConfigReasons.NotReady, $"* DataSecretAvailable: {message}", now);
    }

    private static void Set(Api.KubeadmConfig obj, string type, bool status, string reason, string message, DateTimeOffset now) =>
        Conditions.Set(obj.Status, type, ConditionStatus.Of(status), reason, message, obj.Metadata.Generation, now.UtcDateTime);
}
