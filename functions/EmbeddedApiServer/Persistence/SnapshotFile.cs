using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Persistence;

/// <summary>Saves every cluster to one JSON file (written to a temporary file, then renamed) and loads it back.</summary>
public static class SnapshotFile
{
    private const int Format = 1;

    public static void Save(string path, IEnumerable<Cluster> clusters)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        // Secrets are in the snapshot: owner-readable only.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteNumber("format", Format);
            w.WriteStartArray("clusters");
            foreach (var cluster in clusters)
            {
                var (rv, objects) = cluster.Export();
                w.WriteStartObject();
                w.WriteString("name", cluster.Name);
                w.WriteNumber("resourceVersion", rv);
                w.WriteStartArray("objects");
                foreach (var (resource, obj) in objects)
                {
                    w.WriteStartObject();
                    w.WriteString("resource", resource);
                    w.WritePropertyName("object");
                    w.WriteRawValue(obj.Json, skipInputValidation: true);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        File.Move(temp, path, overwrite: true);
    }

    public static IReadOnlyList<Cluster> Load(string path, ClusterSettings settings)
    {
        using var stream = File.OpenRead(path);
        var root = JsonNode.Parse(stream) as JsonObject ?? throw new InvalidDataException($"{path} is not a snapshot");
        if (root["format"]?.GetValue<int>() != Format) throw new InvalidDataException($"{path} has an unknown snapshot format");
        var clusters = new List<Cluster>();
        foreach (var c in (root["clusters"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var cluster = new Cluster(c["name"]!.GetValue<string>(), settings, seed: false);
            var objects = (c["objects"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(o => (o["resource"]!.GetValue<string>(), (JsonObject)o["object"]!.DeepClone()))
                .ToList();
            cluster.Restore(c["resourceVersion"]!.GetValue<long>(), objects);
            clusters.Add(cluster);
        }
        return clusters;
    }
}
