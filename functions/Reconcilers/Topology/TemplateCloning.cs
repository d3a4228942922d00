using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>Objects and templates made from a ClusterClass's templates, as CAPI clones them: the template's
/// <c>spec.template</c> content, the cluster-name and topology-owned labels, and the cloned-from annotations.</summary>
public static class TemplateCloning
{
    private const string TemplateSuffix = "Template";

    /// <summary>An object (infrastructure cluster, control plane) from a template: kind without the Template suffix,
    /// spec from <c>spec.template.spec</c>.</summary>
    public static JsonObject ObjectFrom(JsonObject template, string name, string clusterName,
        IReadOnlyDictionary<string, string>? labels = null, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var kind = Text(template, "kind");
        var obj = new JsonObject
        {
            ["apiVersion"] = Text(template, "apiVersion"),
            ["kind"] = kind.EndsWith(TemplateSuffix, StringComparison.Ordinal) ? kind[..^TemplateSuffix.Length] : kind,
            ["metadata"] = Metadata(template, template["spec"]?["template"]?["metadata"], name, clusterName, labels, annotations),
            ["spec"] = template["spec"]?["template"]?["spec"]?.DeepClone() ?? new JsonObject(),
        };
        return obj;
    }

    /// <summary>A template from a template (the templates a control plane or MachineDeployment points at).</summary>
    public static JsonObject TemplateFrom(JsonObject template, string name, string clusterName, IReadOnlyDictionary<string, string>? labels = null)
    {
        return new JsonObject
        {
            ["apiVersion"] = Text(template, "apiVersion"),
            ["kind"] = Text(template, "kind"),
            ["metadata"] = Metadata(template, template["metadata"], name, clusterName, labels, null),
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject(),
        };
    }

    private static JsonObject Metadata(JsonObject template, JsonNode? sourceMeta, string name, string clusterName,
        IReadOnlyDictionary<string, string>? labels, IReadOnlyDictionary<string, string>? annotations)
    {
        var outLabels = new JsonObject();
        var outAnnotations = new JsonObject();
        // Only the template's spec.template.metadata is carried for objects; a template's own labels stay with it.
        if (!ReferenceEquals(sourceMeta, template["metadata"]))
        {
            Copy(sourceMeta?["labels"], outLabels);
            Copy(sourceMeta?["annotations"], outAnnotations);
        }
        foreach (var (k, v) in labels ?? new Dictionary<string, string>()) outLabels[k] = v;
        foreach (var (k, v) in annotations ?? new Dictionary<string, string>()) outAnnotations[k] = v;
        outLabels[CapiLabels.ClusterName] = clusterName;
        outLabels[TopologyMetadata.OwnedLabel] = "";
        outAnnotations[CapiAnnotations.ClonedFromName] = Text(template, "metadata", "name");
        var group = ContractVersionedObjectReference.GroupOf(Text(template, "apiVersion"));
        outAnnotations[CapiAnnotations.ClonedFromGroupKind] = $"{Text(template, "kind")}.{group}";
        return new JsonObject
        {
            ["name"] = name,
            ["namespace"] = Text(template, "metadata", "namespace"),
            ["labels"] = outLabels,
            ["annotations"] = outAnnotations,
        };
    }

    private static void Copy(JsonNode? from, JsonObject to)
    {
        if (from is not JsonObject o) return;
        foreach (var (k, v) in o) to[k] = v?.DeepClone();
    }

    /// <summary>Whether every field of <paramref name="desired"/> is in <paramref name="current"/> with the same value
    /// (fields only <paramref name="current"/> has, such as provider defaults, do not count as a difference).</summary>
    public static bool Contains(JsonNode? current, JsonNode? desired)
    {
        switch (desired)
        {
            case null:
                return true;
            case JsonObject d:
                if (current is not JsonObject c) return false;
                foreach (var (k, v) in d)
                {
                    if (v is null) continue;
                    if (!Contains(c[k], v)) return false;
                }
                return true;
            case JsonArray da:
                if (current is not JsonArray ca || ca.Count != da.Count) return false;
                for (var i = 0; i < da.Count; i++)
                {
                    if (!Contains(ca[i], da[i])) return false;
                }
                return true;
            default:
                return current is JsonValue && JsonNode.DeepEquals(current, desired);
        }
    }

    /// <summary>A reference (<c>{apiGroup, kind, name}</c>) to an object or template.</summary>
    public static JsonObject RefTo(JsonObject obj) => new()
    {
        ["apiGroup"] = ContractVersionedObjectReference.GroupOf(Text(obj, "apiVersion")),
        ["kind"] = Text(obj, "kind"),
        ["name"] = Text(obj, "metadata", "name"),
    };

    /// <summary>A label or annotation value, or null.</summary>
    public static string? ValueOf(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var v) ? v : null;

    public static string Text(JsonNode? node, params string[] path) => Framework.ExternalObjects.Text(node, path) ?? "";
}
