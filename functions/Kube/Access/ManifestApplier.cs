using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ServerlessCapi.Kube.Access;

/// <summary>Applies multi-document YAML manifests the way <c>kubectl apply --server-side</c> does.</summary>
/// <remarks>Resources are found through discovery, so any kind the server serves (CRDs included) works.</remarks>
public sealed class ManifestApplier(KubeApi kube, string fieldManager = "scapi")
{
    private readonly ConcurrentDictionary<string, KubeResource> _resources = new(StringComparer.Ordinal);

    /// <summary>Parses every document of a YAML stream into JSON objects (empty documents skipped).</summary>
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"Invalid YAML at line {e.Start.Line}: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet reports some unterminated flow collections this way, without a position.
            throw new FormatException($"Invalid YAML (unterminated collection near line {yaml.Split('\n').Length}): {e.Message}", e);
        }
        var docs = new List<JsonObject>();
        foreach (var doc in stream.Documents)
        {
            if (ToJson(doc.RootNode) is JsonObject obj && obj.Count > 0)
                docs.Add(obj);
        }
        return docs;
    }

    /// <summary>Applies every object in order; CRDs first are waited on until their kinds are served.</summary>
    public async Task<IReadOnlyList<JsonObject>> ApplyAsync(IEnumerable<JsonObject> objects, string defaultNamespace = "default",
        CancellationToken ct = default)
    {
        var applied = new List<JsonObject>();
        foreach (var obj in objects)
            applied.Add(await ApplyAsync(obj, defaultNamespace, ct));
        return applied;
    }

    public async Task<JsonObject> ApplyAsync(JsonObject obj, string defaultNamespace = "default", CancellationToken ct = default)
    {
        var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? throw new FormatException("A manifest object has no apiVersion.");
        var kind = obj["kind"]?.GetValue<string>() ?? throw new FormatException("A manifest object has no kind.");
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw new FormatException($"A {kind} has no metadata.name.");
        var resource = await ResolveAsync(apiVersion, kind, ct);
        string? ns = null;
        if (resource.Namespaced)
        {
            ns = obj["metadata"]?["namespace"]?.GetValue<string>() ?? defaultNamespace;
            obj["metadata"]!["namespace"] = ns;
        }
        var path = $"{resource.CollectionPath(ns)}/{Uri.EscapeDataString(name)}?fieldManager={Uri.EscapeDataString(fieldManager)}&force=true";
        var result = await kube.SendAsync<JsonObject>(HttpMethod.Patch, path, obj.ToJsonString(), "application/apply-patch+yaml", ct);
        if (kind == "CustomResourceDefinition")
            _resources.Clear();
        return result ?? obj;
    }

    /// <summary>Finds the resource serving a kind, retrying briefly while a just-created CRD becomes served.</summary>
    public async Task<KubeResource> ResolveAsync(string apiVersion, string kind, CancellationToken ct)
    {
        var key = apiVersion + "/" + kind;
        if (_resources.TryGetValue(key, out var cached)) return cached;
        for (var attempt = 0; ; attempt++)
        {
            var found = await DiscoverAsync(apiVersion, kind, ct);
            if (found is not null) return _resources[key] = found;
            if (attempt >= 50)
                throw new InvalidOperationException($"The server does not serve kind {kind} in {apiVersion}. Are the CRDs installed?");
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private async Task<KubeResource?> DiscoverAsync(string apiVersion, string kind, CancellationToken ct)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var path = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
        JsonObject? list;
        try
        {
            list = await kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
        foreach (var r in list?["resources"]?.AsArray() ?? [])
        {
            var plural = r?["name"]?.GetValue<string>();
            if (r?["kind"]?.GetValue<string>() == kind && plural is not null && !plural.Contains('/', StringComparison.Ordinal))
                return new KubeResource(group, version, plural, kind, r["namespaced"]?.GetValue<bool>() ?? true);
        }
        return null;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", ToJson(kv.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonValue? Scalar(YamlScalarNode s)
    {
        var v = s.Value;
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(v);
        switch (v)
        {
            case null or "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            && v.Any(char.IsDigit) && !v.Contains(':', StringComparison.Ordinal))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }
}
