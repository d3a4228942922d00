using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ServerlessCapi.Api;

/// <summary>Converts between YAML and JSON trees without a schema, the way kubectl reads manifests: plain
/// scalars resolve to null, booleans and numbers; quoted ones stay strings. Writing quotes every string
/// that would read back as something else, so a round trip keeps every value and its type.</summary>
public static partial class YamlJson
{
    /// <summary>Every document of a (multi-document) YAML text; empty documents are skipped.</summary>
    public static List<JsonNode> LoadAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var result = new List<JsonNode>();
        foreach (var doc in stream.Documents)
        {
            if (ToJson(doc.RootNode) is { } node)
                result.Add(node);
        }
        return result;
    }

    /// <summary>One YAML document as JSON (null for an empty document).</summary>
    public static JsonNode? Load(string yaml) => LoadAll(yaml).FirstOrDefault();

    public static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => ToValue(scalar),
        _ => throw new FormatException($"Unsupported YAML node at {node.Start}."),
    };

    private static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = key is YamlScalarNode s ? s.Value ?? "" : throw new FormatException($"Only scalar keys are supported ({key.Start}).");
            obj[name] = ToJson(value);
        }
        return obj;
    }

    private static JsonNode? ToValue(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (tag is null && scalar.Style is not ScalarStyle.Plain))
            return JsonValue.Create(text);
        return Resolve(text) switch
        {
            null => null,
            var v => v,
        };
    }

    /// <summary>What a plain scalar means (YAML 1.1 as Kubernetes reads it).</summary>
    private static JsonNode? Resolve(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL")
            return null;
        if (BoolTrue().IsMatch(text))
            return JsonValue.Create(true);
        if (BoolFalse().IsMatch(text))
            return JsonValue.Create(false);
        if (IntPattern().IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                return JsonValue.Create(l);
            return JsonNode.Parse(text.TrimStart('+'));
        }
        if (FloatPattern().IsMatch(text))
            return JsonNode.Parse(NormalizeFloat(text));
        return JsonValue.Create(text);
    }

    private static string NormalizeFloat(string text)
    {
        var t = text.TrimStart('+');
        if (t.StartsWith('.'))
            t = "0" + t;
        else if (t.StartsWith("-.", StringComparison.Ordinal))
            t = "-0" + t[1..];
        if (t.EndsWith('.'))
            t += "0";
        return t.Replace(".e", ".0e", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a string written plain would read back as something other than that string.</summary>
    public static bool NeedsQuotes(string value) =>
        Resolve(value) is not JsonValue v || v.GetValueKind() != JsonValueKind.String
        || SpecialFloat().IsMatch(value) || value.Trim() != value;

    /// <summary>One JSON tree as a YAML document.</summary>
    public static string ToYaml(JsonNode? node)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024, indentSequences: false));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>Several JSON trees as one multi-document YAML text.</summary>
    public static string ToYamlAll(IEnumerable<JsonNode?> nodes)
    {
        var sb = new StringBuilder();
        foreach (var node in nodes)
        {
            if (sb.Length > 0)
                sb.Append("---\n");
            sb.Append(ToYaml(node));
        }
        return sb.ToString();
    }

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(Plain("null"));
                break;
            case JsonObject obj:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, isImplicit: true, MappingStyle.Block));
                foreach (var (key, value) in obj)
                {
                    emitter.Emit(Str(key));
                    Emit(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case JsonArray arr:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, isImplicit: true,
                    arr.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in arr)
                    Emit(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                emitter.Emit(value.GetValueKind() switch
                {
                    JsonValueKind.String => Str(value.GetValue<string>()),
                    JsonValueKind.True => Plain("true"),
                    JsonValueKind.False => Plain("false"),
                    JsonValueKind.Null => Plain("null"),
                    _ => Plain(value.ToJsonString()),
                });
                break;
        }
    }

    private static Scalar Plain(string text) => new(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false);

    private static Scalar Str(string text)
    {
        if (text.Contains('\n', StringComparison.Ordinal) && !text.Contains('\r', StringComparison.Ordinal) && !text.Contains('\t', StringComparison.Ordinal)
            && !text.StartsWith(' ') && !text.Contains(" \n", StringComparison.Ordinal))
            return new(AnchorName.Empty, TagName.Empty, text, ScalarStyle.Literal, isPlainImplicit: false, isQuotedImplicit: true);
        var style = text.Length == 0 || NeedsQuotes(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        return new(AnchorName.Empty, TagName.Empty, text, style, isPlainImplicit: true, isQuotedImplicit: true);
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$")]
    private static partial Regex BoolTrue();

    [GeneratedRegex("^(n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$")]
    private static partial Regex BoolFalse();

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();

    [GeneratedRegex(@"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|0x[0-9a-fA-F]+|0o?[0-7]+|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$")]
    private static partial Regex SpecialFloat();
}
