using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission.Tests;

/// <summary>One corpus case: the object (and the stored object for updates), what the webhooks must answer, and
/// which layer of CAPI the rule comes from.</summary>
/// <param name="Rule"><c>webhook</c> (CAPI's admission webhooks), <c>schema</c> (CAPI's CRD schema: a real API server
/// with CAPI's CRDs refuses it before any webhook) or <c>product</c> (a rule of this product beyond CAPI's).</param>
/// <param name="Messages">Substrings of the Status message, field path included.</param>
/// <param name="Defaulted">JSON pointers into the defaulted object and the values they must hold.</param>
public sealed record AdmissionCase(
    string File,
    string Name,
    string Operation,
    JsonObject Object,
    JsonObject? OldObject,
    bool Allowed,
    int? Code,
    IReadOnlyList<string> Messages,
    string Rule,
    AdmissionOptions Options,
    IReadOnlyDictionary<string, JsonNode?> Defaulted)
{
    public string Id => $"{File}: {Name}";

    /// <summary>What an API server with CAPI's CRDs and these webhooks answers, where it differs from the webhooks'
    /// own answer (the schema refuses first, or a webhook sees the object the schema defaulted); null when the same.</summary>
    public ApiServerExpectation? ThroughApiServer { get; init; }

    public override string ToString() => Id;
}

/// <summary>A case's answer through an API server (the case's <c>apiServer</c> note).</summary>
/// <param name="Why">Which layer answers and why it differs from the webhooks' answer (required).</param>
public sealed record ApiServerExpectation(bool Allowed, int? Code, IReadOnlyList<string> Messages, string? Why);

/// <summary>Loads the corpus in <c>Cases/*.yaml</c>: each case names a valid object from <c>bases.yaml</c> and
/// changes it with a JSON merge patch, so the files stay short while every case carries whole objects (ready to be
/// sent to the webhooks, or applied through an API server).</summary>
public static class AdmissionCaseCorpus
{
    private static readonly Lazy<IReadOnlyList<AdmissionCase>> All = new(() => Load(Path.Combine(AppContext.BaseDirectory, "Cases")));

    public static IReadOnlyList<AdmissionCase> Cases => All.Value;

    public static AdmissionCase Find(string id) => Cases.Single(c => c.Id == id);

    public static IReadOnlyList<AdmissionCase> Load(string folder)
    {
        var bases = (JsonObject)YamlJson.Load(File.ReadAllText(Path.Combine(folder, "bases.yaml")))!["bases"]!;
        var cases = new List<AdmissionCase>();
        foreach (var path in Directory.GetFiles(folder, "*.yaml").Where(p => Path.GetFileName(p) != "bases.yaml").Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileNameWithoutExtension(path);
            foreach (var node in ((JsonArray)YamlJson.Load(File.ReadAllText(path))!["cases"]!).OfType<JsonObject>())
                cases.Add(Read(file, node, bases));
        }
        var duplicates = cases.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
            throw new InvalidDataException("Duplicate case names: " + string.Join(", ", duplicates));
        return cases;
    }

    private static AdmissionCase Read(string file, JsonObject node, JsonObject bases)
    {
        var name = Text(node, "name") ?? throw new InvalidDataException($"{file}: a case has no name.");
        var operation = Text(node, "operation") ?? "CREATE";
        var old = node["old"] is JsonObject oldSpec ? Resolve(oldSpec, bases, file, name) : null;
        if ((operation == "UPDATE") != (old is not null))
            throw new InvalidDataException($"{file}: {name}: an UPDATE needs `old`, and only an UPDATE has one.");
        var gates = node["gates"] as JsonObject;
        var options = new AdmissionOptions
        {
            ClusterTopology = gates?["ClusterTopology"]?.GetValue<bool>() ?? false,
            KubeadmBootstrapFormatIgnition = gates?["KubeadmBootstrapFormatIgnition"]?.GetValue<bool>() ?? false,
            MachineTaintPropagation = gates?["MachineTaintPropagation"]?.GetValue<bool>() ?? false,
        };
        var allowed = node["allowed"]?.GetValue<bool>() ?? throw new InvalidDataException($"{file}: {name}: `allowed` is required.");
        var messages = (node["messages"] as JsonArray)?.Select(m => m!.GetValue<string>()).ToList() ?? [];
        if (!allowed && messages.Count == 0)
            throw new InvalidDataException($"{file}: {name}: a refused case needs the message it expects.");
        var defaulted = (node["defaulted"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.DeepClone()) ?? [];
        return new AdmissionCase(file, name, operation, Resolve(node, bases, file, name), old, allowed,
            (node["code"] is { } code ? int.Parse(code.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : allowed ? null : 422), messages, Text(node, "rule") ?? "webhook", options, defaulted)
        {
            ThroughApiServer = node["apiServer"] is JsonObject note ? ReadNote(note, file, name) : null,
        };
    }

    private static ApiServerExpectation ReadNote(JsonObject note, string file, string name)
    {
        var allowed = note["allowed"]?.GetValue<bool>() ?? throw new InvalidDataException($"{file}: {name}: `apiServer.allowed` is required.");
        var why = Text(note, "why") ?? throw new InvalidDataException($"{file}: {name}: `apiServer.why` must say why the API server answers differently.");
        var messages = (note["messages"] as JsonArray)?.Select(m => m!.GetValue<string>()).ToList() ?? [];
        if (!allowed && messages.Count == 0)
            throw new InvalidDataException($"{file}: {name}: a refusal through the API server needs the message it expects.");
        var code = note["code"] is { } c ? int.Parse(c.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture) : allowed ? (int?)null : 422;
        return new ApiServerExpectation(allowed, code, messages, why);
    }

    private static JsonObject Resolve(JsonObject spec, JsonObject bases, string file, string name)
    {
        var baseName = Text(spec, "base") ?? throw new InvalidDataException($"{file}: {name}: `base` is required.");
        var result = bases[baseName]?.DeepClone() as JsonObject ?? throw new InvalidDataException($"{file}: {name}: no base '{baseName}'.");
        return spec["set"] is JsonObject patch ? (JsonObject)MergePatch(result, patch)! : result;
    }

    /// <summary>RFC 7386: objects merge member by member, null removes, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
                result.Remove(key);
            else
                result[key] = MergePatch(result[key]?.DeepClone(), value);
        }
        return result;
    }

    private static string? Text(JsonObject node, string key) => node[key]?.GetValue<string>();
}
