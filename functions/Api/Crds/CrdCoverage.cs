using System.Text.Json.Nodes;

namespace ServerlessCapi.Api;

/// <summary>How many of a reference CRD's schema fields (Cluster API's own) a CRD of the product models.</summary>
/// <remarks>A field is a property path in the v1beta2 OpenAPI schema: <c>spec.files[].contentFrom.secret.name</c>,
/// with <c>[]</c> for list items and <c>{}</c> for map values. Fields under an object that only preserves unknown
/// fields do not count as modelled: the API server neither validates nor defaults them.</remarks>
public static class CrdCoverage
{
    /// <summary>The coverage of one kind.</summary>
    public sealed record KindCoverage(string Kind, int ReferenceFields, int ModelledFields, IReadOnlyList<string> Missing)
    {
        /// <summary>Modelled fields as a percentage of the reference's (100 when the reference has none).</summary>
        public double Percent => ReferenceFields == 0 ? 100 : 100.0 * ModelledFields / ReferenceFields;
    }

    /// <summary>Every field path of a schema, in schema order.</summary>
    public static List<string> FieldPaths(JsonObject schema)
    {
        var paths = new List<string>();
        Walk(schema, "", paths);
        return paths;
    }

    /// <summary>Compares the schema of one version of two CRDs (the reference's fields against the product's).</summary>
    public static KindCoverage Compare(string kind, JsonObject referenceSchema, JsonObject? ourSchema)
    {
        var reference = FieldPaths(referenceSchema);
        var ours = ourSchema is null ? [] : FieldPaths(ourSchema).ToHashSet(StringComparer.Ordinal);
        var missing = reference.Where(p => !ours.Contains(p)).ToList();
        return new KindCoverage(kind, reference.Count, reference.Count - missing.Count, missing);
    }

    /// <summary>The kind and the OpenAPI schema of a CRD's version (null when the document is no CRD or lacks it).</summary>
    public static (string Kind, JsonObject Schema)? SchemaOf(JsonNode? crd, string version)
    {
        if (crd?["kind"]?.GetValue<string>() != "CustomResourceDefinition")
            return null;
        var kind = crd["spec"]?["names"]?["kind"]?.GetValue<string>();
        var schema = crd["spec"]?["versions"]?.AsArray()
            .FirstOrDefault(v => v?["name"]?.GetValue<string>() == version)?["schema"]?["openAPIV3Schema"] as JsonObject;
        return kind is null || schema is null ? null : (kind, schema);
    }

    /// <summary>Every CRD of a folder's YAML files, by kind (the given version's schema).</summary>
    public static Dictionary<string, JsonObject> LoadFolder(string dir, string version)
    {
        var result = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(dir, "*.yaml").Concat(Directory.EnumerateFiles(dir, "*.yml")).Order(StringComparer.Ordinal))
        {
            foreach (var doc in YamlJson.LoadAll(File.ReadAllText(file)))
            {
                if (SchemaOf(doc, version) is { } found)
                    result[found.Kind] = found.Schema;
            }
        }
        return result;
    }

    /// <summary>The coverage of every kind both folders hold a CRD for, and the reference's kinds the product lacks.</summary>
    public static (List<KindCoverage> Kinds, List<string> NotServed) CompareFolders(string referenceDir, string ourDir, string version = CapiGroups.Version)
    {
        var reference = LoadFolder(referenceDir, version);
        var ours = LoadFolder(ourDir, version);
        var kinds = reference.Where(r => ours.ContainsKey(r.Key)).OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => Compare(r.Key, r.Value, ours[r.Key])).ToList();
        var notServed = reference.Keys.Where(k => !ours.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        return (kinds, notServed);
    }

    private static void Walk(JsonObject schema, string path, List<string> paths)
    {
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                var childPath = path.Length == 0 ? name : $"{path}.{name}";
                paths.Add(childPath);
                if (child is JsonObject c)
                    Walk(c, childPath, paths);
            }
        }
        if (schema["items"] is JsonObject items)
            Walk(items, path + "[]", paths);
        if (schema["additionalProperties"] is JsonObject values)
            Walk(values, path + "{}", paths);
    }
}
