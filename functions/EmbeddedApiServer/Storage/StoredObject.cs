using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>An owner reference as far as garbage collection needs it.</summary>
public sealed record OwnerRef(string Uid, string Kind, string Name, bool BlockOwnerDeletion, bool Controller);

/// <summary>One object version as stored: immutable JSON bytes plus the metadata that indexes and selectors read.</summary>
/// <remarks>Keeping bytes (not a parsed tree) is what makes lists and watch fan-out cheap: responses
/// concatenate the stored bytes and nothing is re-serialised per reader.</remarks>
public sealed class StoredObject
{
    private static readonly Dictionary<string, string> NoLabels = new(StringComparer.Ordinal);

    private StoredObject(byte[] json, string? ns, string name, string uid, long rv, string apiVersion)
    {
        Json = json;
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = rv;
        ApiVersion = apiVersion;
    }

    public byte[] Json { get; }
    public string? Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public long ResourceVersion { get; }
    public string ApiVersion { get; }
    public IReadOnlyDictionary<string, string> Labels { get; private init; } = NoLabels;
    public IReadOnlyList<OwnerRef> Owners { get; private init; } = [];
    public IReadOnlyList<string> Finalizers { get; private init; } = [];
    public bool Deleting { get; private init; }
    public string Key => KeyOf(Namespace, Name);

    public static string KeyOf(string? ns, string name) => ns is null ? name : $"{ns}/{name}";

    /// <summary>A fresh mutable copy of the object.</summary>
    public JsonObject Parse() => JsonNode.Parse(Json)!.AsObject();

    public static StoredObject From(JsonObject obj)
    {
        var meta = obj["metadata"] as JsonObject ?? [];
        var labels = meta["labels"] is JsonObject l && l.Count > 0
            ? l.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal)
            : NoLabels;
        var owners = meta["ownerReferences"] is JsonArray refs
            ? refs.OfType<JsonObject>().Select(r => new OwnerRef(
                Text(r, "uid"), Text(r, "kind"), Text(r, "name"),
                r["blockOwnerDeletion"]?.GetValue<bool>() == true, r["controller"]?.GetValue<bool>() == true)).ToArray()
            : [];
        var finalizers = meta["finalizers"] is JsonArray f ? f.Select(x => x?.GetValue<string>() ?? "").ToArray() : [];
        return new StoredObject(
            JsonSerializer.SerializeToUtf8Bytes(obj),
            meta["namespace"]?.GetValue<string>(),
            Text(meta, "name"),
            Text(meta, "uid"),
            long.TryParse(meta["resourceVersion"]?.GetValue<string>(), out var rv) ? rv : 0,
            Text(obj, "apiVersion"))
        {
            Labels = labels,
            Owners = owners,
            Finalizers = finalizers,
            Deleting = meta["deletionTimestamp"] is not null,
        };
    }

    /// <summary>The same object with another resourceVersion (the DELETED event of a removal carries the removal's version).</summary>
    public StoredObject WithResourceVersion(long rv)
    {
        var obj = Parse();
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return From(obj);
    }

    /// <summary>The object as served in another version of its resource (CRD conversion strategy None).</summary>
    public byte[] JsonFor(ResourceType type, string version)
    {
        var apiVersion = type.GroupVersion(version);
        if (apiVersion == ApiVersion) return Json;
        var obj = Parse();
        obj["apiVersion"] = apiVersion;
        return JsonSerializer.SerializeToUtf8Bytes(obj);
    }

    private static string Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
