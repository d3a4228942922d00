using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Cluster-wide kubeadm settings (kubeadm ClusterConfiguration, CAPI's v1beta2 shape).</summary>
[KubeProperties(1)]
public sealed class ClusterConfiguration : ApiObject
{
    [JsonPropertyName("etcd")]
    public EtcdSpec? Etcd { get; set; }

    [JsonPropertyName("controlPlaneEndpoint")]
    [KubeMinLength(1), KubeMaxLength(512)]
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
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? CertificatesDir { get; set; }

    [JsonPropertyName("imageRepository")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ImageRepository { get; set; }

    [JsonPropertyName("featureGates")]
    public Dictionary<string, bool>? FeatureGates { get; set; }

    [JsonPropertyName("certificateValidityPeriodDays")]
    [KubeMinimum(1), KubeMaximum(1095)]
    public int? CertificateValidityPeriodDays { get; set; }

    [JsonPropertyName("caCertificateValidityPeriodDays")]
    [KubeMinimum(1), KubeMaximum(36500)]
    public int? CaCertificateValidityPeriodDays { get; set; }

    [JsonPropertyName("encryptionAlgorithm"), KubeEnum("ECDSA-P256", "ECDSA-P384", "RSA-2048", "RSA-3072", "RSA-4096")]
    public string? EncryptionAlgorithm { get; set; }
}

/// <summary>Settings of a control-plane static pod.</summary>
[KubeProperties(1)]
public class ControlPlaneComponent : ApiObject
{
    [JsonPropertyName("extraArgs")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("name", "value")]
    [KubeValidation(@"self.all(x, self.exists_one(y, x.name == y.name))", @"extraArgs name must be unique")]
    public List<Arg>? ExtraArgs { get; set; }

    [JsonPropertyName("extraEnvs")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<EnvVar>? ExtraEnvs { get; set; }

    [JsonPropertyName("extraVolumes")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<HostPathMount>? ExtraVolumes { get; set; }
}

/// <summary>Settings of the kube-apiserver static pod.</summary>
[KubeProperties(1)]
public sealed class ApiServerComponent : ControlPlaneComponent
{
    [JsonPropertyName("certSANs")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(253, OnItems = true)]
    public List<string>? CertSans { get; set; }
}

/// <summary>A command-line argument (<c>--name=value</c>).</summary>
public sealed class Arg : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    [JsonPropertyName("value"), KubeRequired]
    [KubeMinLength(0), KubeMaxLength(1024)]
    public string Value { get; set; } = "";
}

/// <summary>A host path mounted into a static pod.</summary>
public sealed class HostPathMount : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string Name { get; set; } = "";

    [JsonPropertyName("hostPath"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string HostPath { get; set; } = "";

    [JsonPropertyName("mountPath"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string MountPath { get; set; } = "";

    [JsonPropertyName("readOnly")]
    public bool? ReadOnly { get; set; }

    [JsonPropertyName("pathType")]
    public string? PathType { get; set; }
}

/// <summary>The cluster DNS add-on image.</summary>
[KubeProperties(1)]
public sealed class DnsSpec : ApiObject
{
    [JsonPropertyName("imageRepository")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ImageRepository { get; set; }

    [JsonPropertyName("imageTag")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? ImageTag { get; set; }
}

/// <summary>Settings of <c>kubeadm init</c> on the first control-plane Machine.</summary>
[KubeProperties(1)]
public sealed class InitConfiguration : ApiObject
{
    [JsonPropertyName("bootstrapTokens")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<BootstrapToken>? BootstrapTokens { get; set; }

    [JsonPropertyName("nodeRegistration")]
    public NodeRegistrationOptions? NodeRegistration { get; set; }

    [JsonPropertyName("localAPIEndpoint")]
    public LocalApiEndpoint? LocalApiEndpoint { get; set; }

    [JsonPropertyName("skipPhases")]
    [KubeItems(1, 50), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? SkipPhases { get; set; }

    [JsonPropertyName("patches")]
    public PatchesSpec? Patches { get; set; }

    [JsonPropertyName("timeouts")]
    public KubeadmTimeouts? Timeouts { get; set; }
}

/// <summary>Settings of <c>kubeadm join</c> on every other Machine.</summary>
[KubeProperties(1)]
public sealed class JoinConfiguration : ApiObject
{
    [JsonPropertyName("nodeRegistration")]
    public NodeRegistrationOptions? NodeRegistration { get; set; }

    [JsonPropertyName("caCertPath")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? CaCertPath { get; set; }

    [JsonPropertyName("discovery")]
    public Discovery? Discovery { get; set; }

    [JsonPropertyName("controlPlane")]
    public JoinControlPlane? ControlPlane { get; set; }

    [JsonPropertyName("skipPhases")]
    [KubeItems(1, 50), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? SkipPhases { get; set; }

    [JsonPropertyName("patches")]
    public PatchesSpec? Patches { get; set; }

    [JsonPropertyName("timeouts")]
    public KubeadmTimeouts? Timeouts { get; set; }
}

/// <summary>How a node registers with the API server.</summary>
[KubeProperties(1)]
public sealed class NodeRegistrationOptions : ApiObject
{
    [JsonPropertyName("name")]
    [KubeMinLength(1), KubeMaxLength(253)]
    public string? Name { get; set; }

    [JsonPropertyName("criSocket")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? CriSocket { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(0, 100)]
    public List<NodeTaint>? Taints { get; set; }

    [JsonPropertyName("kubeletExtraArgs")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("name", "value")]
    [KubeValidation(@"self.all(x, self.exists_one(y, x.name == y.name))", @"kubeletExtraArgs name must be unique")]
    public List<Arg>? KubeletExtraArgs { get; set; }

    [JsonPropertyName("ignorePreflightErrors")]
    [KubeItems(1, 50), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(512, OnItems = true)]
    public List<string>? IgnorePreflightErrors { get; set; }

    [JsonPropertyName("imagePullPolicy"), KubeEnum("Always", "IfNotPresent", "Never")]
    public string? ImagePullPolicy { get; set; }

    [JsonPropertyName("imagePullSerial")]
    public bool? ImagePullSerial { get; set; }
}

/// <summary>The address the local API server advertises.</summary>
[KubeProperties(1)]
public sealed class LocalApiEndpoint : ApiObject
{
    [JsonPropertyName("advertiseAddress")]
    [KubeMinLength(1), KubeMaxLength(39)]
    public string? AdvertiseAddress { get; set; }

    [JsonPropertyName("bindPort")]
    [KubeMinimum(1)]
    public int? BindPort { get; set; }
}

/// <summary>Control-plane settings of a joining control-plane node.</summary>
public sealed class JoinControlPlane : ApiObject
{
    [JsonPropertyName("localAPIEndpoint")]
    public LocalApiEndpoint? LocalApiEndpoint { get; set; }
}

/// <summary>Where kubeadm finds patches for its manifests.</summary>
[KubeProperties(1)]
public sealed class PatchesSpec : ApiObject
{
    [JsonPropertyName("directory")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Directory { get; set; }
}
