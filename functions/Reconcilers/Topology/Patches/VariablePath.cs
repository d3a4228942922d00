using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Reconcilers.Topology.Patches;

/// <summary>Reads <c>valueFrom.variable</c>: a variable name, then dotted fields, each optionally indexed
/// (<c>myVar.field</c>, <c>list[1].name</c>, <c>builtin.cluster.name</c>).</summary>
internal static class VariablePath
{
    /// <exception cref="PatchValueException">The path is malformed or names nothing.</exception>
    public static JsonNode? Get(JsonObject variables, string path)
    {
        var segments = path.Split('.');
        var (name, index) = Segment(segments[0], path);
        if (!variables.TryGetPropertyValue(name, out var value))
            throw new PatchValueException($"variable \"{segments[0]}\" does not exist");
        if (index is { } i)
            value = Element(value, i, name, path);
        foreach (var raw in segments.Skip(1))
        {
            var (field, fieldIndex) = Segment(raw, path);
            if (value is not JsonObject obj || !obj.TryGetPropertyValue(field, out value))
                throw new PatchValueException($"variable \"{path}\" does not exist: failed to lookup segment \"{field}\"");
            if (fieldIndex is { } j)
                value = Element(value, j, field, path);
        }
        return value?.DeepClone();
    }

    private static (string Name, int? Index) Segment(string segment, string path)
    {
        var open = segment.IndexOf('[', StringComparison.Ordinal);
        var close = segment.IndexOf(']', StringComparison.Ordinal);
        if (open < 0 && close < 0)
            return (segment, null);
        if (open < 0 || close < open || close != segment.Length - 1)
            throw new PatchValueException($"variable \"{path}\" has invalid syntax: failed to parse path segment \"{segment}\"");
        if (!int.TryParse(segment[(open + 1)..close], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
            throw new PatchValueException($"variable \"{path}\" has invalid syntax: failed to parse array index in path segment \"{segment}\"");
        if (index < 0)
            throw new PatchValueException($"variable \"{path}\" has invalid syntax: invalid array index {index} in path segment \"{segment}\"");
        return (segment[..open], index);
    }

    private static JsonNode? Element(JsonNode? value, int index, string name, string path) => value switch
    {
        JsonArray a when index < a.Count => a[index],
        JsonArray => throw new PatchValueException($"variable \"{path}\" is invalid: array does not have index {index}"),
        _ => throw new PatchValueException($"variable \"{path}\" is invalid: failed to get array \"{name}\""),
    };
}

/// <summary>A patch value that could not be computed.</summary>
public sealed class PatchValueException(string message) : Exception(message);
