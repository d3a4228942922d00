using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A patch a ClusterClass applies to the objects generated for its Clusters: inline definitions or an
/// external extension, optionally enabled by a Go template over the variables.</summary>
public sealed class ClusterClassPatch : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    [JsonPropertyName("description")]
    [KubeMinLength(1), KubeMaxLength(1024)]
    public string? Description { get; set; }

    /// <summary>A Go template that evaluates to <c>true</c> when the patch applies; unset means always.</summary>
    [JsonPropertyName("enabledIf")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? EnabledIf { get; set; }

    [JsonPropertyName("definitions")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    public List<PatchDefinition>? Definitions { get; set; }

    [JsonPropertyName("external")]
    public ExternalPatchDefinition? External { get; set; }
}

/// <summary>JSON patches and the templates they apply to.</summary>
public sealed class PatchDefinition : ApiObject
{
    [JsonPropertyName("selector"), KubeRequired]
    public PatchSelector Selector { get; set; } = new();

    [JsonPropertyName("jsonPatches"), KubeRequired]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<JsonPatch> JsonPatches { get; set; } = [];
}

/// <summary>Which generated templates a patch definition applies to.</summary>
public sealed class PatchSelector : ApiObject
{
    [JsonPropertyName("apiVersion"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(317), KubePattern(KubePatterns.GroupVersion)]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.Kind)]
    public string Kind { get; set; } = "";

    [JsonPropertyName("matchResources"), KubeRequired]
    public PatchSelectorMatch MatchResources { get; set; } = new();
}

/// <summary>The template roles a selector matches.</summary>
[KubeProperties(1)]
public sealed class PatchSelectorMatch : ApiObject
{
    /// <summary>The control plane template (and, by kind, its machine infrastructure template).</summary>
    [JsonPropertyName("controlPlane")]
    public bool? ControlPlane { get; set; }

    [JsonPropertyName("infrastructureCluster")]
    public bool? InfrastructureCluster { get; set; }

    [JsonPropertyName("machineDeploymentClass")]
    public PatchSelectorMatchClasses? MachineDeploymentClass { get; set; }

    [JsonPropertyName("machinePoolClass")]
    public PatchSelectorMatchClasses? MachinePoolClass { get; set; }
}

/// <summary>The worker classes a selector matches by name; <c>*</c> matches any, a leading or trailing <c>*</c>
/// a suffix or prefix.</summary>
public sealed class PatchSelectorMatchClasses : ApiObject
{
    [JsonPropertyName("names")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? Names { get; set; }
}

/// <summary>One JSON patch operation (RFC 6902, restricted to add, replace and remove).</summary>
public sealed class JsonPatch : ApiObject
{
    public const string Add = "add";
    public const string Replace = "replace";
    public const string Remove = "remove";

    [JsonPropertyName("op"), KubeRequired, KubeEnum(Add, Replace, Remove)]
    public string Op { get; set; } = "";

    /// <summary>A JSON pointer that starts with <c>/spec/</c>; for add only the array indexes <c>0</c> and <c>-</c>,
    /// for replace and remove none.</summary>
    [JsonPropertyName("path"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string Path { get; set; } = "";

    [JsonPropertyName("value")]
    public JsonElement? Value { get; set; }

    [JsonPropertyName("valueFrom")]
    public JsonPatchValue? ValueFrom { get; set; }
}

/// <summary>Where a patch's value comes from: a variable (dotted path into it allowed) or a Go template.</summary>
public sealed class JsonPatchValue : ApiObject
{
    [JsonPropertyName("variable")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Variable { get; set; }

    [JsonPropertyName("template")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? Template { get; set; }
}

/// <summary>The runtime extensions of an external patch.</summary>
public sealed class ExternalPatchDefinition : ApiObject
{
    [JsonPropertyName("generatePatchesExtension")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? GeneratePatchesExtension { get; set; }

    [JsonPropertyName("validateTopologyExtension")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ValidateTopologyExtension { get; set; }

    [JsonPropertyName("discoverVariablesExtension")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? DiscoverVariablesExtension { get; set; }

    [JsonPropertyName("settings")]
    public Dictionary<string, string>? Settings { get; set; }
}
