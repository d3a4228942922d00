using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace ServerlessCapi.Functions.Hosting;

/// <summary>Configuration the way Azure Functions builds it: host.json under <c>AzureFunctionsJobHost</c>,
/// local.settings.json <c>Values</c> as top-level keys, then environment variables.</summary>
public static class FunctionAppConfiguration
{
    public const string HostSection = "AzureFunctionsJobHost";

    /// <summary>Adds host.json's settings under <c>AzureFunctionsJobHost:</c> (so <c>extensions:queues:batchSize</c>
    /// is <c>AzureFunctionsJobHost:extensions:queues:batchSize</c>, overridable by the environment variable
    /// <c>AzureFunctionsJobHost__extensions__queues__batchSize</c>); <c>logging.logLevel</c> also feeds
    /// <c>Logging:LogLevel</c>.</summary>
    public static IConfigurationBuilder AddHostJson(this IConfigurationBuilder builder, string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        Flatten(root, HostSection, values);
        foreach (var (key, value) in values.ToList())
        {
            const string logLevel = HostSection + ":logging:logLevel:";
            if (key.StartsWith(logLevel, StringComparison.OrdinalIgnoreCase))
                values["Logging:LogLevel:" + key[logLevel.Length..]] = value;
        }
        return builder.AddInMemoryCollection(values);
    }

    /// <summary>Adds local.settings.json: <c>Values</c> become top-level keys, <c>ConnectionStrings</c> stay a section.</summary>
    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder builder, string path)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        }) as JsonObject;
        if (root?["IsEncrypted"]?.GetValueKind() == JsonValueKind.True)
            throw new InvalidOperationException($"{path} is encrypted; decrypt it first (func settings decrypt).");
        if (root?["Values"] is JsonObject settings)
        {
            foreach (var (key, value) in settings)
                values[key.Replace("__", ":", StringComparison.Ordinal)] = Scalar(value);
        }
        if (root?["ConnectionStrings"] is JsonObject connections)
            Flatten(connections, "ConnectionStrings", values);
        return builder.AddInMemoryCollection(values);
    }

    private static void Flatten(JsonNode? node, string prefix, IDictionary<string, string?> values)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj) Flatten(child, $"{prefix}:{key}", values);
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) Flatten(array[i], $"{prefix}:{i.ToString(CultureInfo.InvariantCulture)}", values);
                break;
            default:
                values[prefix] = Scalar(node);
                break;
        }
    }

    private static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "true",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "false",
        _ => node.ToJsonString(),
    };
}
