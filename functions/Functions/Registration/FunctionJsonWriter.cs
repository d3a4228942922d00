using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Functions.Registration;

/// <summary>Renders the Azure Functions <c>function.json</c> of each registered function.</summary>
public static class FunctionJsonWriter
{
    /// <summary>The binding name of a queue trigger's message (the key in the invocation's <c>Data</c>).</summary>
    public const string QueueBinding = "message";
    public const string TimerBinding = "timer";
    public const string HttpRequestBinding = "req";
    public const string HttpResponseBinding = "res";
    public const string StorageConnection = "AzureWebJobsStorage";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 2 };

    /// <summary>The file text (two-space indent, trailing newline) for one function.</summary>
    public static string Render(FunctionDescriptor function)
    {
        JsonArray bindings = function switch
        {
            QueueFunctionDescriptor q =>
            [
                new JsonObject
                {
                    ["name"] = QueueBinding,
                    ["type"] = "queueTrigger",
                    ["direction"] = "in",
                    ["queueName"] = q.QueueName,
                    ["connection"] = StorageConnection,
                },
            ],
            TimerFunctionDescriptor t =>
            [
                new JsonObject
                {
                    ["name"] = TimerBinding,
                    ["type"] = "timerTrigger",
                    ["direction"] = "in",
                    ["schedule"] = t.Schedule,
                    ["runOnStartup"] = t.RunOnStartup,
                },
            ],
            HttpFunctionDescriptor h =>
            [
                new JsonObject
                {
                    ["name"] = HttpRequestBinding,
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["authLevel"] = h.AuthLevel.ToString().ToLowerInvariant(),
                    ["methods"] = new JsonArray(h.Methods.Select(m => (JsonNode)JsonValue.Create(m.ToLowerInvariant())).ToArray()),
                    ["route"] = h.Route,
                },
                new JsonObject { ["name"] = HttpResponseBinding, ["type"] = "http", ["direction"] = "out" },
            ],
            _ => throw new NotSupportedException($"No function.json for {function.GetType().Name}."),
        };
        var root = new JsonObject { ["bindings"] = bindings };
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary>Every function's file, keyed by its path relative to the output folder (<c>name/function.json</c>).</summary>
    public static IReadOnlyDictionary<string, string> RenderAll(IEnumerable<FunctionDescriptor> functions) =>
        functions.ToDictionary(f => $"{f.Name}/function.json", Render, StringComparer.Ordinal);

    /// <summary>Writes every file under <paramref name="folder"/> and removes folders of functions no longer registered.</summary>
    public static void WriteAll(IEnumerable<FunctionDescriptor> functions, string folder)
    {
        var files = RenderAll(functions);
        Directory.CreateDirectory(folder);
        foreach (var stale in Directory.GetDirectories(folder)
                     .Where(d => File.Exists(Path.Combine(d, "function.json")))
                     .Where(d => !files.ContainsKey($"{Path.GetFileName(d)}/function.json")))
        {
            Directory.Delete(stale, recursive: true);
        }
        foreach (var (path, text) in files)
        {
            var full = Path.Combine(folder, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
    }
}
