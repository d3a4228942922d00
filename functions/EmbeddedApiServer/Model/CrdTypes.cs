using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;

namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>Reads a CustomResourceDefinition object into the <see cref="ResourceType"/> it makes served.</summary>
public static class CrdTypes
{
    public static ResourceType FromCrd(JsonObject crd)
    {
        var name = crd["metadata"]?["name"]?.GetValue<string>() ?? "";
        var spec = crd["spec"] as JsonObject ?? throw Invalid(name, "spec: Required value", "spec");
        var group = Str(spec, "group") ?? throw Invalid(name, "spec.group: Required value", "spec.group");
        var names = spec["names"] as JsonObject ?? throw Invalid(name, "spec.names: Required value", "spec.names");
        var plural = Str(names, "plural") ?? throw Invalid(name, "spec.names.plural: Required value", "spec.names.plural");
        var kind = Str(names, "kind") ?? throw Invalid(name, "spec.names.kind: Required value", "spec.names.kind");
        if (name != $"{plural}.{group}")
            throw Invalid(name, $"metadata.name: Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group", "metadata.name");
        var scope = Str(spec, "scope") ?? "Namespaced";
        if (scope is not ("Namespaced" or "Cluster"))
            throw Invalid(name, $"spec.scope: Unsupported value: \"{scope}\": supported values: \"Cluster\", \"Namespaced\"", "spec.scope");

        var versions = spec["versions"] as JsonArray;
        if (versions is null || versions.Count == 0)
            throw Invalid(name, "spec.versions: Invalid value: must have exactly one version marked as storage version", "spec.versions");
        JsonObject? storage = null;
        var served = new List<string>();
        foreach (var v in versions.OfType<JsonObject>())
        {
            var vname = Str(v, "name") ?? throw Invalid(name, "spec.versions[].name: Required value", "spec.versions");
            if (v["storage"]?.GetValue<bool>() == true)
            {
                if (storage is not null)
                    throw Invalid(name, "spec.versions: Invalid value: must have exactly one version marked as storage version", "spec.versions");
                storage = v;
            }
            if (v["served"]?.GetValue<bool>() != false) served.Add(vname);
        }
        if (storage is null)
            throw Invalid(name, "spec.versions: Invalid value: must have exactly one version marked as storage version", "spec.versions");
        var storageName = Str(storage, "name")!;
        served.Remove(storageName);
        served.Insert(0, storageName);

        var subresources = storage["subresources"] as JsonObject;
        var scale = subresources?["scale"] as JsonObject;
        return new ResourceType
        {
            Group = group,
            Versions = served,
            Plural = plural,
            Singular = Str(names, "singular") ?? kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = scope == "Namespaced",
            ShortNames = Strings(names["shortNames"]),
            Categories = Strings(names["categories"]),
            HasStatus = subresources?["status"] is not null,
            Scale = scale is null
                ? null
                : new ScaleSubresource(Str(scale, "specReplicasPath") ?? ".spec.replicas",
                    Str(scale, "statusReplicasPath") ?? ".status.replicas", Str(scale, "labelSelectorPath")),
            Columns = Columns(storage["additionalPrinterColumns"] as JsonArray),
            Behavior = KindBehavior.Custom,
            Schema = storage["schema"]?["openAPIV3Schema"] as JsonObject,
        };
    }

    private static List<PrinterColumn> Columns(JsonArray? columns)
    {
        // Kubernetes defaults a CRD without printer columns to a single Age column.
        if (columns is null || columns.Count == 0) return [new("Age", "date", ".metadata.creationTimestamp")];
        return columns.OfType<JsonObject>()
            .Select(c => new PrinterColumn(
                Str(c, "name") ?? "", Str(c, "type") ?? "string", Str(c, "jsonPath") ?? "",
                c["priority"]?.GetValue<int>() ?? 0, Str(c, "description") ?? "", Str(c, "format") ?? ""))
            .ToList();
    }

    private static List<string> Strings(JsonNode? node) =>
        node is JsonArray a ? a.Select(x => x?.GetValue<string>()).OfType<string>().ToList() : [];

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static ApiException Invalid(string name, string message, string field) =>
        ApiException.Invalid("apiextensions.k8s.io", "CustomResourceDefinition", name, message,
            new StatusCause("FieldValueInvalid", message, field));
}
