using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A bootstrap token <c>kubeadm init</c> creates for joining nodes.</summary>
public sealed class BootstrapToken : ApiObject
{
    [JsonPropertyName("token"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(23)]
    public string Token { get; set; } = "";

    [JsonPropertyName("description")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Description { get; set; }

    [JsonPropertyName("ttlSeconds")]
    [KubeMinimum(0)]
    public int? TtlSeconds { get; set; }

    [JsonPropertyName("expires")]
    public DateTime? Expires { get; set; }

    [JsonPropertyName("usages")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? Usages { get; set; }

    [JsonPropertyName("groups")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? Groups { get; set; }
}

/// <summary>A taint kubeadm puts on the Node it registers (Kubernetes core/v1 Taint).</summary>
public sealed class NodeTaint : ApiObject
{
    [JsonPropertyName("key"), KubeRequired]
    public string Key { get; set; } = "";

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("effect"), KubeRequired]
    public string Effect { get; set; } = "";

    [JsonPropertyName("timeAdded")]
    public DateTime? TimeAdded { get; set; }
}

/// <summary>How long kubeadm waits for each step (seconds; 0 means no timeout).</summary>
[KubeProperties(1)]
public sealed class KubeadmTimeouts : ApiObject
{
    [JsonPropertyName("controlPlaneComponentHealthCheckSeconds"), KubeMinimum(0)]
    public int? ControlPlaneComponentHealthCheckSeconds { get; set; }

    [JsonPropertyName("kubeletHealthCheckSeconds"), KubeMinimum(0)]
    public int? KubeletHealthCheckSeconds { get; set; }

    [JsonPropertyName("kubernetesAPICallSeconds"), KubeMinimum(0)]
    public int? KubernetesApiCallSeconds { get; set; }

    [JsonPropertyName("etcdAPICallSeconds"), KubeMinimum(0)]
    public int? EtcdApiCallSeconds { get; set; }

    [JsonPropertyName("tlsBootstrapSeconds"), KubeMinimum(0)]
    public int? TlsBootstrapSeconds { get; set; }

    [JsonPropertyName("discoverySeconds"), KubeMinimum(0)]
    public int? DiscoverySeconds { get; set; }
}

/// <summary>How a joining node finds and trusts the cluster.</summary>
[KubeProperties(1)]
public sealed class Discovery : ApiObject
{
    [JsonPropertyName("bootstrapToken")]
    public BootstrapTokenDiscovery? BootstrapToken { get; set; }

    [JsonPropertyName("file")]
    public FileDiscovery? File { get; set; }

    [JsonPropertyName("tlsBootstrapToken")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? TlsBootstrapToken { get; set; }
}

/// <summary>Discovery with a bootstrap token against the API server.</summary>
[KubeProperties(1)]
public sealed class BootstrapTokenDiscovery : ApiObject
{
    [JsonPropertyName("token")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Token { get; set; }

    [JsonPropertyName("apiServerEndpoint")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ApiServerEndpoint { get; set; }

    [JsonPropertyName("caCertHashes")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(512, OnItems = true)]
    public List<string>? CaCertHashes { get; set; }

    [JsonPropertyName("unsafeSkipCAVerification")]
    public bool? UnsafeSkipCaVerification { get; set; }
}

/// <summary>Discovery from a kubeconfig file on the host (or generated from <c>kubeConfig</c>).</summary>
public sealed class FileDiscovery : ApiObject
{
    [JsonPropertyName("kubeConfigPath"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string KubeConfigPath { get; set; } = "";

    [JsonPropertyName("kubeConfig")]
    public FileDiscoveryKubeConfig? KubeConfig { get; set; }
}

/// <summary>The kubeconfig the bootstrap provider writes at <c>kubeConfigPath</c>.</summary>
public sealed class FileDiscoveryKubeConfig : ApiObject
{
    [JsonPropertyName("cluster")]
    public KubeConfigCluster? Cluster { get; set; }

    [JsonPropertyName("user"), KubeRequired]
    public KubeConfigUser User { get; set; } = new();
}

/// <summary>The cluster entry of a discovery kubeconfig.</summary>
[KubeProperties(1)]
public sealed class KubeConfigCluster : ApiObject
{
    [JsonPropertyName("server")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Server { get; set; }

    [JsonPropertyName("tlsServerName")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? TlsServerName { get; set; }

    [JsonPropertyName("insecureSkipTLSVerify")]
    public bool? InsecureSkipTlsVerify { get; set; }

    [JsonPropertyName("certificateAuthorityData")]
    [KubeFormat("byte"), KubeMinLength(1), KubeMaxLength(51200)]
    public string? CertificateAuthorityData { get; set; }

    [JsonPropertyName("proxyURL")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ProxyUrl { get; set; }
}

/// <summary>The user entry of a discovery kubeconfig: an auth provider or an exec plugin.</summary>
[KubeProperties(1)]
public sealed class KubeConfigUser : ApiObject
{
    [JsonPropertyName("authProvider")]
    public KubeConfigAuthProvider? AuthProvider { get; set; }

    [JsonPropertyName("exec")]
    public KubeConfigAuthExec? Exec { get; set; }
}

/// <summary>A kubeconfig auth provider.</summary>
public sealed class KubeConfigAuthProvider : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    [JsonPropertyName("config")]
    public Dictionary<string, string>? Config { get; set; }
}

/// <summary>A kubeconfig exec credential plugin.</summary>
public sealed class KubeConfigAuthExec : ApiObject
{
    [JsonPropertyName("command"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(1024)]
    public string Command { get; set; } = "";

    [JsonPropertyName("args")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(512, OnItems = true)]
    public List<string>? Args { get; set; }

    [JsonPropertyName("env")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<KubeConfigExecEnv>? Env { get; set; }

    [JsonPropertyName("apiVersion")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("provideClusterInfo")]
    public bool? ProvideClusterInfo { get; set; }
}

/// <summary>An environment variable of an exec credential plugin.</summary>
public sealed class KubeConfigExecEnv : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string Name { get; set; } = "";

    [JsonPropertyName("value"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string Value { get; set; } = "";
}
