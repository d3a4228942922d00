using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Patch;

/// <summary>The <c>$setElementOrder</c> directive of strategic merge patch, ordered as apimachinery orders it:
/// items named in the directive follow its order, items only on the server keep their relative server order, and
/// the two are interleaved by their positions in the server's list (a server-only item goes before a patch item
/// only when both were on the server and it came first there).</summary>
public static class ElementOrder
{
    /// <param name="merged">The list after merging.</param>
    /// <param name="order">The directive's list (whole items for primitives, merge-key stubs for objects).</param>
    /// <param name="server">The list as it was before the patch.</param>
    /// <param name="mergeKey">The merge key for lists of objects, null for primitives.</param>
    public static JsonArray Apply(JsonArray merged, JsonArray order, JsonArray? server, string? mergeKey)
    {
        JsonNode? Id(JsonNode? item) => mergeKey is null ? item : item?[mergeKey];
        int IndexIn(JsonArray? list, JsonNode? item)
        {
            if (list is null) return -1;
            for (var i = 0; i < list.Count; i++)
            {
                if (JsonNode.DeepEquals(Id(list[i]), Id(item))) return i;
            }
            return -1;
        }

        var patchItems = merged.Where(m => IndexIn(order, m) >= 0).OrderBy(m => IndexIn(order, m)).ToList();
        var serverOnly = merged.Where(m => IndexIn(order, m) < 0)
            .OrderBy(m => IndexIn(server, m) is var i && i >= 0 ? i : int.MaxValue).ToList();

        var result = new List<JsonNode?>(merged.Count);
        int l = 0, r = 0;
        while (l < serverOnly.Count || r < patchItems.Count)
        {
            if (l >= serverOnly.Count) result.Add(patchItems[r++]);
            else if (r >= patchItems.Count) result.Add(serverOnly[l++]);
            else
            {
                var li = IndexIn(server, serverOnly[l]);
                var ri = IndexIn(server, patchItems[r]);
                result.Add(li >= 0 && ri >= 0 && li < ri ? serverOnly[l++] : patchItems[r++]);
            }
        }
        return new JsonArray(result.Select(n => n?.DeepClone()).ToArray());
    }
}
