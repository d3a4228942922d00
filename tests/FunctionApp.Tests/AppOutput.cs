using System.Text.Json.Nodes;

namespace ServerlessCapi.FunctionApp.Tests;

/// <summary>The isolated-worker app's build output as the Functions host reads it.</summary>
internal static class AppOutput
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "FunctionApp");

    public static string HostJsonPath => Path.Combine(Folder, "host.json");

    public static JsonObject HostJson => (JsonObject)JsonNode.Parse(File.ReadAllText(HostJsonPath))!;

    /// <summary>Every function in functions.metadata, by name.</summary>
    public static IReadOnlyDictionary<string, Metadata> Functions { get; } = Load();

    private static Dictionary<string, Metadata> Load()
    {
        var path = Path.Combine(Folder, "functions.metadata");
        if (!File.Exists(path)) throw new FileNotFoundException("The app's functions.metadata was not copied beside the tests.", path);
        var functions = (JsonArray)JsonNode.Parse(File.ReadAllText(path))!;
        return functions.Select(f => new Metadata((JsonObject)f!)).ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>One function's entry: its trigger is the first binding with direction In.</summary>
    public sealed class Metadata(JsonObject entry)
    {
        public string Name => (string)entry["name"]!;

        public JsonObject Trigger => entry["bindings"]!.AsArray().Select(b => b!.AsObject())
            .Single(b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal));

        public string TriggerType => (string)Trigger["type"]!;

        public string? Text(string key) => (string?)Trigger[key];

        public IReadOnlyList<string> Methods => Trigger["methods"]?.AsArray().Select(m => ((string)m!).ToUpperInvariant()).Order(StringComparer.Ordinal).ToList() ?? [];

        public string? AuthLevel => Text("authLevel")?.ToLowerInvariant();
    }
}
