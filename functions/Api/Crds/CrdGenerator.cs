using System.Text.Json.Nodes;

namespace ServerlessCapi.Api;

/// <summary>Generates apiextensions.k8s.io/v1 CustomResourceDefinitions for every kind in
/// <see cref="CapiKinds"/>, one YAML file per kind (<c>group_plural.yaml</c>).</summary>
public static class CrdGenerator
{
    public const string Header = "# Generated from the C# types in functions/Api by `./scapi crds`. Do not edit.\n";

    /// <summary>The file name of a kind's CRD, e.g. <c>cluster.x-k8s.io_machines.yaml</c>.</summary>
    public static string FileName(KindInfo kind) => $"{kind.Group}_{kind.Plural}.yaml";

    /// <summary>The CRD object of one kind.</summary>
    public static JsonObject Generate(KindInfo kind)
    {
        var metadata = new JsonObject { ["name"] = kind.CrdName };
        if (kind.IsProvider)
            metadata["labels"] = new JsonObject { [CapiLabels.ContractV1Beta2] = kind.Version };

        var names = new JsonObject
        {
            ["kind"] = kind.Kind,
            ["listKind"] = kind.ListKind,
            ["plural"] = kind.Plural,
            ["singular"] = kind.Singular,
        };
        if (kind.ShortNames.Count > 0)
            names["shortNames"] = Strings(kind.ShortNames);
        if (kind.Categories.Count > 0)
            names["categories"] = Strings(kind.Categories);

        var version = new JsonObject
        {
            ["name"] = kind.Version,
            ["served"] = true,
            ["storage"] = true,
        };
        if (kind.PrinterColumns.Count > 0)
            version["additionalPrinterColumns"] = new JsonArray(kind.PrinterColumns.Select(Column).ToArray());
        version["schema"] = new JsonObject { ["openAPIV3Schema"] = SchemaGenerator.ForKind(kind) };
        var subresources = new JsonObject();
        if (kind.HasStatusSubresource)
            subresources["status"] = new JsonObject();
        if (kind.Scale is { } scale)
        {
            var s = new JsonObject
            {
                ["specReplicasPath"] = scale.SpecReplicasPath,
                ["statusReplicasPath"] = scale.StatusReplicasPath,
            };
            if (scale.LabelSelectorPath is not null)
                s["labelSelectorPath"] = scale.LabelSelectorPath;
            subresources["scale"] = s;
        }
        if (subresources.Count > 0)
            version["subresources"] = subresources;

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["group"] = kind.Group,
                ["names"] = names,
                ["scope"] = kind.Namespaced ? "Namespaced" : "Cluster",
                ["versions"] = new JsonArray(version),
            },
        };
    }

    /// <summary>Every CRD as YAML text by file name.</summary>
    public static IReadOnlyDictionary<string, string> GenerateAll() =>
        CapiKinds.All.ToDictionary(FileName, k => Header + YamlJson.ToYaml(Generate(k)), StringComparer.Ordinal);

    /// <summary>Writes every CRD into <paramref name="directory"/> and removes generated files of kinds that
    /// no longer exist. Returns the paths written.</summary>
    public static IReadOnlyList<string> WriteAll(string directory)
    {
        Directory.CreateDirectory(directory);
        var files = GenerateAll();
        foreach (var stale in Directory.GetFiles(directory, "*.yaml"))
        {
            if (!files.ContainsKey(Path.GetFileName(stale)) && File.ReadAllText(stale).StartsWith(Header, StringComparison.Ordinal))
                File.Delete(stale);
        }
        var written = new List<string>();
        foreach (var (name, yaml) in files)
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, yaml);
            written.Add(path);
        }
        return written;
    }

    private static JsonObject Column(PrinterColumn c)
    {
        var o = new JsonObject
        {
            ["name"] = c.Name,
            ["type"] = c.Type,
            ["jsonPath"] = c.JsonPath,
        };
        if (c.Description is not null)
            o["description"] = c.Description;
        if (c.Priority != 0)
            o["priority"] = c.Priority;
        return o;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
