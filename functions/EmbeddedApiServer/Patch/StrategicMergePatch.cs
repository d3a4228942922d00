using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Patch;

/// <summary>Strategic merge patch for the built-in kinds: lists with merge keys merge element-wise, the
/// <c>$patch</c>, <c>$retainKeys</c>, <c>$deleteFromPrimitiveList</c> and <c>$setElementOrder</c> directives
/// that kubectl sends are honoured.</summary>
public static class StrategicMergePatch
{
    private const string Directive = "$patch";
    private const string SetOrderPrefix = "$setElementOrder/";
    private const string DeleteFromPrefix = "$deleteFromPrimitiveList/";

    public static JsonObject Apply(ResourceType type, JsonObject target, JsonObject patch) =>
        MergeObject(type, target, patch, "", type.Schema);

    internal static JsonObject MergeObject(ResourceType type, JsonObject target, JsonObject patch, string path, JsonObject? schema)
    {
        if (patch[Directive]?.GetValue<string>() == "replace")
            return Strip((JsonObject)patch.DeepClone());
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
            foreach (var key in target.Select(p => p.Key).Where(k => !keep.Contains(k)).ToList()) target.Remove(key);
        }
        // $setElementOrder needs the lists as the server had them, before merging changes them.
        var ordered = patch.Where(p => p.Key.StartsWith(SetOrderPrefix, StringComparison.Ordinal) && p.Value is JsonArray)
            .Select(p => (Field: p.Key[SetOrderPrefix.Length..], Order: (JsonArray)p.Value!))
            .Select(o => (o.Field, o.Order, Server: target[o.Field]?.DeepClone() as JsonArray))
            .ToList();
        foreach (var (key, value) in patch)
        {
            if (key is Directive or "$retainKeys" || key.StartsWith(SetOrderPrefix, StringComparison.Ordinal)) continue;
            if (key.StartsWith(DeleteFromPrefix, StringComparison.Ordinal))
            {
                var field = key[DeleteFromPrefix.Length..];
                if (target[field] is JsonArray list && value is JsonArray gone)
                {
                    foreach (var item in list.Where(i => gone.Any(g => JsonNode.DeepEquals(g, i))).ToList()) list.Remove(item);
                }
                continue;
            }
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            var childSchema = ListKeys.Child(schema, key);
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            target.Remove(key, out var existing);
            target[key] = value switch
            {
                JsonObject po when po[Directive]?.GetValue<string>() == "delete" => null,
                JsonObject po => MergeObject(type, existing as JsonObject ?? [], po, childPath, childSchema),
                JsonArray pa => MergeList(type, existing as JsonArray, pa, childPath, childSchema),
                _ => value.DeepClone(),
            };
            if (value is JsonObject deleted && deleted[Directive]?.GetValue<string>() == "delete") target.Remove(key);
        }
        foreach (var (field, order, server) in ordered)
        {
            if (target[field] is not JsonArray merged) continue;
            var childPath = path.Length == 0 ? field : $"{path}.{field}";
            var (_, mergeKey) = ListKeys.For(type, childPath, ListKeys.Child(schema, field));
            target[field] = ElementOrder.Apply(merged, order, server, mergeKey);
        }
        return target;
    }

    private static JsonArray MergeList(ResourceType type, JsonArray? target, JsonArray patch, string path, JsonObject? schema)
    {
        var (merge, mergeKey) = ListKeys.For(type, path, schema);
        if (patch.OfType<JsonObject>().Any(e => e[Directive]?.GetValue<string>() == "replace"))
            return new JsonArray(patch.Where(e => e is not JsonObject o || o[Directive] is null).Select(e => e?.DeepClone()).ToArray());
        if (target is null || merge == ListMerge.Replace)
            return new JsonArray(patch.Select(e => e is JsonObject o ? Strip((JsonObject)o.DeepClone()) : e?.DeepClone()).ToArray());
        var result = new JsonArray(target.Select(e => e?.DeepClone()).ToArray());
        var itemSchema = schema?["items"] as JsonObject;
        foreach (var element in patch)
        {
            if (merge == ListMerge.Set || mergeKey is null || element is not JsonObject pe)
            {
                if (!result.Any(r => JsonNode.DeepEquals(r, element))) result.Add(element?.DeepClone());
                continue;
            }
            var keyValue = pe[mergeKey];
            var match = result.OfType<JsonObject>().FirstOrDefault(r => JsonNode.DeepEquals(r[mergeKey], keyValue));
            if (pe[Directive]?.GetValue<string>() == "delete")
            {
                if (match is not null) result.Remove(match);
                continue;
            }
            if (match is null) result.Add(Strip((JsonObject)pe.DeepClone()));
            else MergeObject(type, match, pe, path, itemSchema);
        }
        // As apimachinery: the patch's own items lead in the patch's order, server-only items keep their places
        // relative to them (a $setElementOrder directive, applied afterwards, overrides this).
        var patchOrder = new JsonArray(patch.Where(e => e is not JsonObject o || o[Directive] is null).Select(e => e?.DeepClone()).ToArray());
        return ElementOrder.Apply(result, patchOrder, target, merge == ListMerge.Set ? null : mergeKey);
    }

    private static JsonObject Strip(JsonObject o)
    {
        foreach (var key in o.Select(p => p.Key).Where(k => k.StartsWith('$')).ToList()) o.Remove(key);
        return o;
    }
}
