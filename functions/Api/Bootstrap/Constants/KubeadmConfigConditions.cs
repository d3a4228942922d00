namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a KubeadmConfig (v1beta2).</summary>
public static class KubeadmConfigConditions
{
    public const string Ready = "Ready";
    public const string CertificatesAvailable = "CertificatesAvailable";
    public const string DataSecretAvailable = "DataSecretAvailable";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a KubeadmConfig (v1beta2).</summary>
public static class KubeadmConfigReasons
{
    public const string Ready = "Ready";
    public const string NotReady = "NotReady";
    public const string ReadyUnknown = "ReadyUnknown";
    public const string CertificatesAvailable = "Available";
    public const string CertificatesAvailableInternalError = "InternalError";
    public const string DataSecretAvailable = "Available";
    public const string DataSecretNotAvailable = "NotAvailable";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
}
