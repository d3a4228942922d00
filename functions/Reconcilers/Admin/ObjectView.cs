using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Reconcilers.Admin;

/// <summary>One v1beta2 condition as shown to admins.</summary>
public sealed record ConditionView(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("lastTransitionTime")] DateTimeOffset? LastTransitionTime);

/// <summary>An owner reference, reduced to what tree building needs.</summary>
public sealed record OwnerView(string Kind, string Name, string? Uid, bool Controller);

/// <summary>What the admin views show of any object (kind-agnostic, read from its JSON). Never carries
/// spec or data fields, so nothing secret can leak through it.</summary>
public sealed record ObjectView(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("namespace")] string? Namespace,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string? Uid,
    [property: JsonPropertyName("phase")] string? Phase,
    [property: JsonPropertyName("deleting")] bool Deleting,
    [property: JsonPropertyName("conditions")] IReadOnlyList<ConditionView> Conditions)
{
    [JsonIgnore] public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    [JsonIgnore] public IReadOnlyList<OwnerView> Owners { get; init; } = [];
    [JsonIgnore] public DateTimeOffset? CreationTimestamp { get; init; }

    /// <summary>The condition that says whether the object is fine: Ready, else Available (Clusters,
    /// MachineDeployments and control planes summarise into Available under v1beta2).</summary>
    [JsonIgnore]
    public ConditionView? Headline => Condition("Ready") ?? Condition("Available");

    public ConditionView? Condition(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    [JsonIgnore] public OwnerView? ControllerOwner => Owners.FirstOrDefault(o => o.Controller);

    public string Label(string key) => Labels.TryGetValue(key, out var v) ? v : "";

    public static ObjectView From(JsonObject obj)
    {
        var metadata = obj["metadata"] as JsonObject;
        var conditions = (obj["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => new ConditionView(
                Text(c["type"]) ?? "",
                Text(c["status"]) ?? "Unknown",
                Text(c["reason"]),
                Text(c["message"]),
                Time(c["lastTransitionTime"])))
            .Where(c => c.Type.Length > 0)
            .ToList();
        var labels = (metadata?["labels"] as JsonObject ?? [])
            .Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _))
            .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
        var owners = (metadata?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(o => new OwnerView(Text(o["kind"]) ?? "", Text(o["name"]) ?? "", Text(o["uid"]),
                o["controller"] is JsonValue v && v.TryGetValue<bool>(out var b) && b))
            .ToList();
        return new ObjectView(
            Text(obj["kind"]) ?? "",
            Text(metadata?["namespace"]),
            Text(metadata?["name"]) ?? "",
            Text(metadata?["uid"]),
            Text(obj["status"]?["phase"]),
            metadata?["deletionTimestamp"] is not null,
            conditions)
        {
            Labels = labels,
            Owners = owners,
            CreationTimestamp = Time(metadata?["creationTimestamp"]),
        };
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
