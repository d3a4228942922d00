using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Where the cluster's etcd runs: stacked on the control-plane Machines (local) or elsewhere (external).</summary>
[KubeProperties(1)]
public sealed class EtcdSpec : ApiObject
{
    [JsonPropertyName("local")]
    public LocalEtcd? Local { get; set; }

    [JsonPropertyName("external")]
    public ExternalEtcd? External { get; set; }
}

/// <summary>The etcd static pod kubeadm runs on each control-plane Machine.</summary>
[KubeProperties(1)]
public sealed class LocalEtcd : ApiObject
{
    [JsonPropertyName("imageRepository")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ImageRepository { get; set; }

    [JsonPropertyName("imageTag")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? ImageTag { get; set; }

    [JsonPropertyName("dataDir")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? DataDir { get; set; }

    [JsonPropertyName("extraArgs")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("name", "value")]
    [KubeValidation(@"self.all(x, self.exists_one(y, x.name == y.name))", @"extraArgs name must be unique")]
    public List<Arg>? ExtraArgs { get; set; }

    [JsonPropertyName("extraEnvs")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<EnvVar>? ExtraEnvs { get; set; }

    [JsonPropertyName("serverCertSANs")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(253, OnItems = true)]
    public List<string>? ServerCertSans { get; set; }

    [JsonPropertyName("peerCertSANs")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(253, OnItems = true)]
    public List<string>? PeerCertSans { get; set; }
}

/// <summary>An etcd cluster the control plane connects to over TLS.</summary>
public sealed class ExternalEtcd : ApiObject
{
    [JsonPropertyName("endpoints"), KubeRequired]
    [KubeItems(1, 50), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(512, OnItems = true)]
    public List<string> Endpoints { get; set; } = [];

    [JsonPropertyName("caFile"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string CaFile { get; set; } = "";

    [JsonPropertyName("certFile"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string CertFile { get; set; } = "";

    [JsonPropertyName("keyFile"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string KeyFile { get; set; } = "";
}

/// <summary>An environment variable of a control-plane static pod (Kubernetes core/v1 EnvVar).</summary>
public sealed class EnvVar : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("valueFrom")]
    public EnvVarSource? ValueFrom { get; set; }
}

/// <summary>Where an environment variable's value comes from.</summary>
public sealed class EnvVarSource : ApiObject
{
    [JsonPropertyName("configMapKeyRef")]
    public KeySelector? ConfigMapKeyRef { get; set; }

    [JsonPropertyName("secretKeyRef")]
    public KeySelector? SecretKeyRef { get; set; }

    [JsonPropertyName("fieldRef")]
    public ObjectFieldSelector? FieldRef { get; set; }

    [JsonPropertyName("resourceFieldRef")]
    public ResourceFieldSelector? ResourceFieldRef { get; set; }

    [JsonPropertyName("fileKeyRef")]
    public FileKeySelector? FileKeyRef { get; set; }
}

/// <summary>A key of a ConfigMap or Secret in the pod's namespace.</summary>
[KubeMapType("atomic")]
public sealed class KeySelector : ApiObject
{
    [JsonPropertyName("key"), KubeRequired]
    public string Key { get; set; } = "";

    [JsonPropertyName("name"), KubeDefault("\"\"")]
    public string? Name { get; set; }

    [JsonPropertyName("optional")]
    public bool? Optional { get; set; }
}

/// <summary>A field of the pod (<c>metadata.name</c>, <c>status.podIP</c>…).</summary>
[KubeMapType("atomic")]
public sealed class ObjectFieldSelector : ApiObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("fieldPath"), KubeRequired]
    public string FieldPath { get; set; } = "";
}

/// <summary>A resource limit or request of a container.</summary>
[KubeMapType("atomic")]
public sealed class ResourceFieldSelector : ApiObject
{
    [JsonPropertyName("containerName")]
    public string? ContainerName { get; set; }

    [JsonPropertyName("resource"), KubeRequired]
    public string Resource { get; set; } = "";

    [JsonPropertyName("divisor")]
    [KubePattern(@"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$")]
    public IntOrString? Divisor { get; set; }
}

/// <summary>A key of an env file in a volume of the pod.</summary>
[KubeMapType("atomic")]
public sealed class FileKeySelector : ApiObject
{
    [JsonPropertyName("volumeName"), KubeRequired]
    public string VolumeName { get; set; } = "";

    [JsonPropertyName("path"), KubeRequired]
    public string Path { get; set; } = "";

    [JsonPropertyName("key"), KubeRequired]
    public string Key { get; set; } = "";

    [JsonPropertyName("optional"), KubeDefault("false")]
    public bool? Optional { get; set; }
}
