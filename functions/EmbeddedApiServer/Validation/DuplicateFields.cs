using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>Reads JSON that may repeat a field, as kube-apiserver's decoder does: the last value wins and the
/// repeated paths are kept for the fieldValidation parameter (Strict refuses them, Warn names them).</summary>
public static class DuplicateFields
{
    private const string ItemKey = "scapi.duplicate-fields";

    public static JsonNode? Parse(string json, HttpContext? http)
    {
        using var doc = JsonDocument.Parse(json);
        var duplicates = new List<string>();
        var node = Build(doc.RootElement, "", duplicates);
        if (duplicates.Count > 0 && http is not null) http.Items[ItemKey] = duplicates;
        return node;
    }

    /// <summary>The repeated field paths of the request's body (empty when none).</summary>
    public static IReadOnlyList<string> Of(HttpContext http) =>
        http.Items.TryGetValue(ItemKey, out var value) && value is List<string> list ? list : [];

    private static JsonNode? Build(JsonElement e, string path, List<string> duplicates)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var p in e.EnumerateObject())
                {
                    var child = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                    if (obj.ContainsKey(p.Name) && !duplicates.Contains(child)) duplicates.Add(child);
                    obj[p.Name] = Build(p.Value, child, duplicates);
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                var i = 0;
                foreach (var item in e.EnumerateArray()) array.Add(Build(item, $"{path}[{i++}]", duplicates));
                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(e.Clone());
        }
    }
}
