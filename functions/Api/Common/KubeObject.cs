using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>A top-level Kubernetes object (apiVersion, kind, metadata) that keeps unknown fields.</summary>
public abstract class KubeObject : IKubernetesObject<V1ObjectMeta>
{
    protected KubeObject(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    [JsonPropertyName("apiVersion"), JsonPropertyOrder(-3)]
    public string ApiVersion { get; set; }

    [JsonPropertyName("kind"), JsonPropertyOrder(-2)]
    public string Kind { get; set; }

    [JsonPropertyName("metadata"), JsonPropertyOrder(-1)]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    /// <summary>The spec type, or null when the kind has none (used by the CRD generator).</summary>
    [JsonIgnore]
    public virtual Type? SpecType => null;

    /// <summary>The status type, or null when the kind has none (used by the CRD generator).</summary>
    [JsonIgnore]
    public virtual Type? StatusType => null;
}

/// <summary>A Kubernetes object with spec and status. Both are created on first access but are written
/// only when they were read from the wire or touched, so an object without status stays without one.</summary>
public abstract class KubeObject<TSpec, TStatus> : KubeObject, ISpec<TSpec>, IStatus<TStatus>
    where TSpec : class, new()
    where TStatus : class, new()
{
    private TSpec? spec;
    private TStatus? status;

    protected KubeObject(string apiVersion, string kind)
        : base(apiVersion, kind)
    {
    }

    [JsonIgnore]
    public TSpec Spec
    {
        get => spec ??= new TSpec();
        set => spec = value;
    }

    [JsonIgnore]
    public TStatus Status
    {
        get => status ??= new TStatus();
        set => status = value;
    }

    /// <summary>True when the object carries a status (read from the wire or touched since).</summary>
    [JsonIgnore]
    public bool HasStatus => status is not null;

    [JsonInclude]
    [JsonPropertyName("spec")]
    [JsonPropertyOrder(1)]
    private TSpec? SpecOnWire
    {
        get => spec;
        set => spec = value;
    }

    [JsonInclude]
    [JsonPropertyName("status")]
    [JsonPropertyOrder(2)]
    private TStatus? StatusOnWire
    {
        get => status;
        set => status = value;
    }

    [JsonIgnore]
    public override Type? SpecType => typeof(TSpec);

    [JsonIgnore]
    public override Type? StatusType => typeof(TStatus);
}

/// <summary>A list of objects of one kind (<c>XxxList</c>).</summary>
public abstract class KubeList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
    where T : KubeObject
{
    protected KubeList(string apiVersion, string kind)
    {
        ApiVersion = apiVersion;
        Kind = kind;
    }

    [JsonPropertyName("apiVersion"), JsonPropertyOrder(-3)]
    public string ApiVersion { get; set; }

    [JsonPropertyName("kind"), JsonPropertyOrder(-2)]
    public string Kind { get; set; }

    [JsonPropertyName("metadata"), JsonPropertyOrder(-1)]
    public V1ListMeta Metadata { get; set; } = new();

    [JsonPropertyName("items")]
    public IList<T> Items { get; set; } = [];

    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
