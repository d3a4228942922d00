using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Table;

/// <summary>Server-side printing: a meta.k8s.io/v1 Table with NAME, the kind's columns, and AGE where kubectl expects it.</summary>
public static class TableBuilder
{
    private const string NameDescription = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    /// <summary>Which object each row carries (the includeObject parameter).</summary>
    public enum IncludeObject { None, Metadata, Object }

    public static JsonArray ColumnDefinitions(ResourceType type)
    {
        var defs = type.NameColumnFirst ? new JsonArray(Column("Name", "string", "name", NameDescription, 0)) : [];
        foreach (var c in type.Columns)
            defs.Add(Column(c.Name, c.Type, c.Format, c.Description, c.Priority));
        return defs;
    }

    public static JsonObject Build(ResourceType type, string version, IEnumerable<StoredObject> items, long resourceVersion,
        string? continueToken, IncludeObject include, bool withColumns = true)
    {
        var meta = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (continueToken is not null) meta["continue"] = continueToken;
        var rows = new JsonArray();
        var now = DateTime.UtcNow;
        foreach (var item in items) rows.Add(Row(type, version, item, include, now));
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = meta,
            ["columnDefinitions"] = withColumns ? ColumnDefinitions(type) : new JsonArray(),
            ["rows"] = rows,
        };
    }

    private static JsonObject Row(ResourceType type, string version, StoredObject item, IncludeObject include, DateTime now)
    {
        var obj = item.Parse();
        obj["apiVersion"] = type.GroupVersion(version);
        var cells = type.NameColumnFirst ? new JsonArray(JsonValue.Create(item.Name)) : [];
        foreach (var c in type.Columns) cells.Add(Cell(c, obj, now));
        var row = new JsonObject { ["cells"] = cells };
        row["object"] = include switch
        {
            IncludeObject.Object => obj,
            IncludeObject.Metadata => new JsonObject
            {
                ["kind"] = "PartialObjectMetadata",
                ["apiVersion"] = "meta.k8s.io/v1",
                ["metadata"] = obj["metadata"]!.DeepClone(),
            },
            _ => null,
        };
        if (include == IncludeObject.None) row.Remove("object");
        return row;
    }

    private static JsonNode? Cell(PrinterColumn column, JsonObject obj, DateTime now)
    {
        if (column.JsonPath.StartsWith('#')) return SpecialCells.Evaluate(column.JsonPath, obj, now);
        var found = JsonPathLite.Find(obj, column.JsonPath).FirstOrDefault();
        if (found is null) return null;
        switch (column.Type)
        {
            case "date":
                return DateTime.TryParse(JsonPathLite.Text(found), CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                    ? HumanDuration.Format(now - t)
                    : null;
            case "integer" or "number" or "boolean":
                return found is JsonValue ? found.DeepClone() : null;
            default:
                return JsonPathLite.Text(found);
        }
    }

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };
}
