using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.ClusterResourceSets;

/// <summary>What a ConfigMap or Secret of a ClusterResourceSet holds: its data values in key order (Secret values
/// decoded), their hash as CAPI computes it, and the objects they describe (YAML documents or a JSON list).</summary>
public sealed record ResourceData(IReadOnlyList<string> Values, string Hash, IReadOnlyList<JsonObject> Objects)
{
    /// <summary>Reads a resource's data; throws <see cref="FormatException"/> when a value is not YAML or JSON objects.</summary>
    public static ResourceData From(IDictionary<string, string>? data)
    {
        var values = (data ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList();
        return new ResourceData(values, HashOf(values), values.SelectMany(ObjectsIn).ToList());
    }

    public static ResourceData FromSecret(IDictionary<string, byte[]>? data) =>
        From((data ?? new Dictionary<string, byte[]>()).ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal));

    /// <summary><c>sha256:</c> and the hex digest of the values written one after another.</summary>
    public static string HashOf(IEnumerable<string> values)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var v in values) sha.AppendData(Encoding.UTF8.GetBytes(v));
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>The objects of one value, Namespaces and CRDs first so what others need exists before them.</summary>
    private static IEnumerable<JsonObject> ObjectsIn(string value)
    {
        var objects = value.TrimStart().StartsWith('[')
            ? (JsonNode.Parse(value) as JsonArray ?? []).OfType<JsonObject>().ToList()
            : ManifestApplier.Parse(value).ToList();
        return objects.OrderBy(o => o["kind"]?.GetValue<string>() switch
        {
            "Namespace" => 0,
            "CustomResourceDefinition" => 1,
            _ => 2,
        });
    }
}
