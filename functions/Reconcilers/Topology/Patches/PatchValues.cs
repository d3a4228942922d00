using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;
using YamlDotNet.Core;
using ApiJsonPatch = ServerlessCapi.Api.JsonPatch;

namespace ServerlessCapi.Reconcilers.Topology.Patches;

/// <summary>The value of one JSON patch operation (exactly one of value, valueFrom.variable, valueFrom.template),
/// enabledIf, and the path rules of ClusterClass patches.</summary>
internal static class PatchValues
{
    /// <exception cref="PatchValueException">Not exactly one source, a missing variable, or an unreadable result.</exception>
    /// <exception cref="TemplateException">The template does not parse or fails.</exception>
    public static JsonNode? Calculate(ApiJsonPatch op, JsonObject variables)
    {
        var from = op.ValueFrom;
        if (op.Value is null && from is null)
            throw new PatchValueException("neither .value nor .valueFrom are set");
        if (op.Value is not null && from is not null)
            throw new PatchValueException("both .value and .valueFrom are set");
        if (op.Value is { } value)
            return JsonNode.Parse(value.GetRawText());
        if (string.IsNullOrEmpty(from!.Variable) == string.IsNullOrEmpty(from.Template))
            throw new PatchValueException(string.IsNullOrEmpty(from.Variable)
                ? ".valueFrom is set, but neither .valueFrom.variable nor .valueFrom.template are set"
                : ".valueFrom is set, but both .valueFrom.variable and .valueFrom.template are set");
        return !string.IsNullOrEmpty(from.Variable) ? VariablePath.Get(variables, from.Variable) : Render(from.Template!, variables);
    }

    /// <summary>True when the template renders to YAML <c>true</c>, as CAPI decides enabledIf.</summary>
    public static bool IsEnabled(string enabledIf, JsonObject variables) =>
        Render(enabledIf, variables) is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    /// <summary>Runs the template over the variables and reads its output as YAML (so <c>3</c> is a number and
    /// <c>a: b</c> an object), as CAPI does.</summary>
    public static JsonNode? Render(string template, JsonObject variables)
    {
        var text = GoTemplate.Parse(template).Execute(variables);
        try
        {
            return YamlJson.Load(text);
        }
        catch (YamlException e)
        {
            throw new PatchValueException($"failed to unmarshal rendered template: \"{text}\": {e.Message}");
        }
    }

    /// <summary>The path rules: a JSON pointer under <c>/spec/</c>; add may index an array only with <c>0</c> or
    /// <c>-</c>, replace and remove not at all (positions shift under generated lists).</summary>
    public static string? CheckPath(string op, string path)
    {
        if (op is not (ApiJsonPatch.Add or ApiJsonPatch.Replace or ApiJsonPatch.Remove))
            return $"unsupported op \"{op}\": supported values: \"add\", \"replace\", \"remove\"";
        if (!path.StartsWith("/spec/", StringComparison.Ordinal) || path.Length == "/spec/".Length)
            return $"path \"{path}\" must start with \"/spec/\"";
        var segments = path.Split('/').Skip(2).ToList();
        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            var isIndex = segment == "-" || (segment.Length > 0 && segment.All(char.IsAsciiDigit));
            if (!isIndex)
                continue;
            if (op != ApiJsonPatch.Add)
                return $"path \"{path}\": {op} may not use an array index";
            if (segment is not ("0" or "-") || s != segments.Count - 1)
                return $"path \"{path}\": add may use only the array index 0 or - as the last segment";
        }
        return null;
    }
}
