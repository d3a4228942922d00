using System.Text.Json;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Local;

namespace ServerlessCapi.Functions.Tests.Registration;

public class FunctionJsonTests
{
    private const string UpdateVariable = "SCAPI_UPDATE_FUNCTION_JSON";

    /// <summary>infra/functions must match <see cref="AppFunctions.Register"/> exactly.</summary>
    [Fact]
    public void FunctionJsonDrift_checked_in_files_match_the_registration()
    {
        var builder = new FunctionsBuilder();
        AppFunctions.Register(builder);
        var expected = FunctionJsonWriter.RenderAll(builder.Functions);
        var folder = Path.Combine(RepoPaths.Root, "infra", "functions");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
            FunctionJsonWriter.WriteAll(builder.Functions, folder);

        var actual = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "function.json", SearchOption.AllDirectories).ToDictionary(
                f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal)
            : [];
        var hint = $"infra/functions is out of date with AppFunctions.Register. Regenerate: " +
                   $"{UpdateVariable}=1 dotnet test tests/Functions.Tests --filter FunctionJsonDrift";
        actual.Keys.Order(StringComparer.Ordinal).ShouldBe(expected.Keys.Order(StringComparer.Ordinal), hint);
        foreach (var (path, text) in expected)
            actual[path].ShouldBe(text, $"{path}: {hint}");
    }

    [Fact]
    public void Each_trigger_renders_the_bindings_the_Functions_host_reads()
    {
        var f = new FunctionsBuilder()
            .Queue<RecordString>("dispatch", "capi-events")
            .Timer<Tick>("resync", "%ResyncSchedule%", runOnStartup: true)
            .Http<Echo>("clusters", "GET,POST", "admin/clusters");
        var files = FunctionJsonWriter.RenderAll(f.Functions);

        var queue = Bindings(files["dispatch/function.json"]).ShouldHaveSingleItem();
        queue.GetProperty("type").GetString().ShouldBe("queueTrigger");
        queue.GetProperty("direction").GetString().ShouldBe("in");
        queue.GetProperty("name").GetString().ShouldBe(FunctionJsonWriter.QueueBinding);
        queue.GetProperty("queueName").GetString().ShouldBe("capi-events");
        queue.GetProperty("connection").GetString().ShouldBe("AzureWebJobsStorage");

        var timer = Bindings(files["resync/function.json"]).ShouldHaveSingleItem();
        timer.GetProperty("type").GetString().ShouldBe("timerTrigger");
        timer.GetProperty("schedule").GetString().ShouldBe("%ResyncSchedule%");
        timer.GetProperty("runOnStartup").GetBoolean().ShouldBeTrue();

        var http = Bindings(files["clusters/function.json"]);
        http.Count.ShouldBe(2);
        http[0].GetProperty("type").GetString().ShouldBe("httpTrigger");
        http[0].GetProperty("authLevel").GetString().ShouldBe("function");
        http[0].GetProperty("methods").EnumerateArray().Select(m => m.GetString()).ShouldBe(["get", "post"]);
        http[0].GetProperty("route").GetString().ShouldBe("admin/clusters");
        http[1].GetProperty("type").GetString().ShouldBe("http");
        http[1].GetProperty("direction").GetString().ShouldBe("out");
        http[1].GetProperty("name").GetString().ShouldBe(FunctionJsonWriter.HttpResponseBinding);
    }

    [Fact]
    public void Registration_rejects_duplicate_names_and_queue_classes_without_a_message_type()
    {
        var f = new FunctionsBuilder().Queue<RecordString>("one", "q");
        Should.Throw<ArgumentException>(() => f.Queue<RecordOrder>("ONE", "q2"));
        Should.Throw<ArgumentException>(() => f.Queue<Echo>("two", "q"));
        Should.Throw<ArgumentException>(() => f.Http<Echo>("bad name", "GET"));
    }

    private static List<JsonElement> Bindings(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("bindings").EnumerateArray().ToList();
}
