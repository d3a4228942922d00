using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Cluster-wide kubeadm settings (kubeadm ClusterConfiguration, CAPI's v1beta2 shape).</summary>
[PreserveUnknownFields]
public sealed class ClusterConfiguration : ApiObject
{
    [JsonPropertyName("etcd"), PreserveUnknownFields]
    public JsonElement? Etcd { get; set; }

    [JsonPropertyName("controlPlaneEndpoint")]
    public string? ControlPlaneEndpoint { get; set; }

    [JsonPropertyName("apiServer")]
    public ApiServerComponent? ApiServer { get; set; }

    [JsonPropertyName("controllerManager")]
    public ControlPlaneComponent? ControllerManager { get; set; }

    [JsonPropertyName("scheduler")]
    public ControlPlaneComponent? Scheduler { get; set; }

    [JsonPropertyName("dns")]
    public DnsSpec? Dns { get; set; }

    [JsonPropertyName("certificatesDir")]
    public string? CertificatesDir { get; set; }

    [JsonPropertyName("imageRepository")]
    public string? ImageRepository { get; set; }

    [JsonPropertyName("featureGates")]
    public Dictionary<string, bool>? FeatureGates { get; set; }

    [JsonPropertyName("certificateValidityPeriodDays")]
    public int? CertificateValidityPeriodDays { get; set; }

    [JsonPropertyName("caCertificateValidityPeriodDays")]
    public int? CaCertificateValidityPeriodDays { get; set; }

    [JsonPropertyName("encryptionAlgorithm"), KubeEnum("ECDSA-P256", "ECDSA-P384", "RSA-2048", "RSA-3072", "RSA-4096")]
    public string? EncryptionAlgorithm { get; set; }
}

/// <summary>Settings of a control-plane static pod.</summary>
[PreserveUnknownFields]
public class ControlPlaneComponent : ApiObject
{
    [JsonPropertyName("extraArgs")]
    public List<Arg>? ExtraArgs { get; set; }

    [JsonPropertyName("extraVolumes")]
    public List<HostPathMount>? ExtraVolumes { get; set; }
}

/// <summary>Settings of the kube-apiserver static pod.</summary>
[PreserveUnknownFields]
public sealed class ApiServerComponent : ControlPlaneComponent
{
    [JsonPropertyName("certSANs")]
    public List<string>? CertSans { get; set; }
}

/// <summary>A command-line argument (<c>--name=value</c>).</summary>
public sealed class Arg : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";

    [JsonPropertyName("value"), KubeRequired]
    public string Value { get; set; } = "";
}

/// <summary>A host path mounted into a static pod.</summary>
public sealed class HostPathMount : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";

    [JsonPropertyName("hostPath"), KubeRequired]
    public string HostPath { get; set; } = "";

    [JsonPropertyName("mountPath"), KubeRequired]
    public string MountPath { get; set; } = "";

    [JsonPropertyName("readOnly")]
    public bool? ReadOnly { get; set; }

    [JsonPropertyName("pathType")]
    public string? PathType { get; set; }
}

/// <summary>The cluster DNS add-on image.</summary>
public sealed class DnsSpec : ApiObject
{
    [JsonPropertyName("imageRepository")]
    public string? ImageRepository { get; set; }

    [JsonPropertyName("imageTag")]
    public string? ImageTag { get; set; }
}

/// <summary>Settings of <c>kubeadm init</c> on the first control-plane Machine.</summary>
[PreserveUnknownFields]
public sealed class InitConfiguration : ApiObject
{
    [JsonPropertyName("bootstrapTokens"), PreserveUnknownFields]
    public JsonElement? BootstrapTokens { get; set; }

    [JsonPropertyName("nodeRegistration")]
    public NodeRegistrationOptions? NodeRegistration { get; set; }

    [JsonPropertyName("localAPIEndpoint")]
    public LocalApiEndpoint? LocalApiEndpoint { get; set; }

    [JsonPropertyName("skipPhases")]
    public List<string>? SkipPhases { get; set; }

    [JsonPropertyName("patches")]
    public PatchesSpec? Patches { get; set; }
}

/// <summary>Settings of <c>kubeadm join</c> on every other Machine.</summary>
[PreserveUnknownFields]
public sealed class JoinConfiguration : ApiObject
{
    [JsonPropertyName("nodeRegistration")]
    public NodeRegistrationOptions? NodeRegistration { get; set; }

    [JsonPropertyName("caCertPath")]
    public string? CaCertPath { get; set; }

    [JsonPropertyName("discovery"), PreserveUnknownFields]
    public JsonElement? Discovery { get; set; }

    [JsonPropertyName("controlPlane")]
    public JoinControlPlane? ControlPlane { get; set; }

    [JsonPropertyName("skipPhases")]
    public List<string>? SkipPhases { get; set; }

    [JsonPropertyName("patches")]
    public PatchesSpec? Patches { get; set; }
}

/// <summary>How a node registers with the API server.</summary>
[PreserveUnknownFields]
public sealed class NodeRegistrationOptions : ApiObject
{
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("criSocket")]
    public string? CriSocket { get; set; }

    [JsonPropertyName("taints"), PreserveUnknownFields]
    public JsonElement? Taints { get; set; }

    [JsonPropertyName("kubeletExtraArgs")]
    public List<Arg>? KubeletExtraArgs { get; set; }

    [JsonPropertyName("ignorePreflightErrors")]
    public List<string>? IgnorePreflightErrors { get; set; }

    [JsonPropertyName("imagePullPolicy"), KubeEnum("Always", "IfNotPresent", "Never")]
    public string? ImagePullPolicy { get; set; }

    [JsonPropertyName("imagePullSerial")]
    public bool? ImagePullSerial { get; set; }
}

/// <summary>The address the local API server advertises.</summary>
public sealed class LocalApiEndpoint : ApiObject
{
    [JsonPropertyName("advertiseAddress")]
    public string? AdvertiseAddress { get; set; }

    [JsonPropertyName("bindPort")]
    public int? BindPort { get; set; }
}

/// <summary>Control-plane settings of a joining control-plane node.</summary>
public sealed class JoinControlPlane : ApiObject
{
    [JsonPropertyName("localAPIEndpoint")]
    public LocalApiEndpoint? LocalApiEndpoint { get; set; }
}

/// <summary>Where kubeadm finds patches for its manifests.</summary>
public sealed class PatchesSpec : ApiObject
{
    [JsonPropertyName("directory")]
    public string? Directory { get; set; }
}
