using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>Schema defaults for objects already stored. kube-apiserver defaults on every read from etcd, so a
/// default added to a CRD shows on objects written before it; here stored objects are defaulted once when the
/// schema changes, which gives readers the same view without work on every read.</summary>
public static class StoredDefaults
{
    /// <summary>Fills absent defaulted fields in place; true when anything was added.</summary>
    public static bool Apply(JsonObject schema, JsonNode? node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (key, child) in properties)
                    {
                        if (child is not JsonObject childSchema) continue;
                        if (!obj.ContainsKey(key) && childSchema["default"] is { } dflt)
                        {
                            obj[key] = dflt.DeepClone();
                            changed = true;
                        }
                        if (key != "metadata" && obj[key] is { } value) changed |= Apply(childSchema, value);
                    }
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (var (_, value) in obj.ToList()) changed |= Apply(additional, value);
                }
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array) changed |= Apply(items, item);
                break;
        }
        return changed;
    }
}
