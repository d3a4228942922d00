using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Api;

/// <summary>Reads and writes manifests (YAML or JSON, one or many documents) as typed objects: kinds in
/// <see cref="CapiKinds"/> become their classes, everything else stays a <see cref="JsonObject"/>.</summary>
public static class Manifests
{
    /// <summary>Every object of a multi-document YAML (or JSON) text. A <c>List</c> kind is flattened.</summary>
    public static List<object> Load(string text)
    {
        var result = new List<object>();
        foreach (var node in YamlJson.LoadAll(text))
            AddObjects(node, result);
        return result;
    }

    public static List<object> LoadFile(string path) => Load(File.ReadAllText(path));

    /// <summary>The objects of type <typeparamref name="T"/> in a manifest text.</summary>
    public static List<T> Load<T>(string text) => Load(text).OfType<T>().ToList();

    /// <summary>One object from its JSON tree: typed when its kind is known, else a copy of the tree.</summary>
    public static object FromJson(JsonNode node)
    {
        if (node is not JsonObject obj)
            throw new FormatException("A manifest document must be an object.");
        var info = CapiKinds.Find(obj["apiVersion"]?.GetValue<string>(), obj["kind"]?.GetValue<string>());
        if (info is null)
            return obj.DeepClone();
        return JsonSerializer.Deserialize(obj, info.ClrType, JsonOptions)
            ?? throw new FormatException($"Cannot read {info.Kind}.");
    }

    /// <summary>The JSON tree of a typed object or JSON node (nulls omitted).</summary>
    public static JsonNode ToJson(object obj) => obj switch
    {
        JsonNode node => node.DeepClone(),
        _ => JsonSerializer.SerializeToNode(obj, obj.GetType(), JsonOptions) ?? throw new FormatException("Object serialized to null."),
    };

    /// <summary>Objects as a multi-document YAML text.</summary>
    public static string ToYaml(IEnumerable<object> objects) => YamlJson.ToYamlAll(objects.Select(ToJson));

    /// <summary>One object as a YAML document.</summary>
    public static string ToYaml(object obj) => YamlJson.ToYaml(ToJson(obj));

    /// <summary>The serializer options of KubernetesClient (camelCase, nulls omitted, Kubernetes times), so
    /// manifests read here equal what the client sends and receives.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        // Same settings as KubernetesJson (its options are private): camelCase, nulls omitted, RFC 3339 times.
        var options = new JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        };
        options.Converters.Add(new KubeDateTimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static void AddObjects(JsonNode node, List<object> result)
    {
        if (node is JsonObject obj && obj["kind"]?.GetValue<string>() is { } kind && kind.EndsWith("List", StringComparison.Ordinal)
            && obj["items"] is JsonArray items && CapiKinds.Find(obj["apiVersion"]?.GetValue<string>(), kind) is null)
        {
            foreach (var item in items)
            {
                if (item is not null)
                    AddObjects(item, result);
            }
            return;
        }
        result.Add(FromJson(node));
    }

}
