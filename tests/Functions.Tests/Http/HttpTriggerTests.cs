using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Diagnostics;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Tests.Http;

public class HttpTriggerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Function_level_endpoints_need_a_key_from_header_or_code_query()
    {
        var keys = Keys();
        await using var app = await StartAsync(keys);

        (await app.Http.GetAsync("/api/echo/abc")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.Http.GetAsync("/api/echo/abc?code=wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var withHeader = new HttpRequestMessage(HttpMethod.Post, "/api/echo/abc?x=1") { Content = new StringContent("payload") };
        withHeader.Headers.Add("x-functions-key", keys.Default);
        using var response = await app.Http.SendAsync(withHeader);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        json.RootElement.GetProperty("name").GetString().ShouldBe("abc");
        json.RootElement.GetProperty("x").GetString().ShouldBe("1");
        json.RootElement.GetProperty("body").GetString().ShouldBe("payload");

        (await app.Http.GetAsync($"/api/echo/abc?code={keys.Echo}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Http.GetAsync($"/api/echo/abc?code={keys.Master}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Http.DeleteAsync($"/api/echo/abc?code={keys.Master}")).StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Admin_endpoints_take_only_the_master_key()
    {
        var keys = Keys();
        await using var app = await StartAsync(keys);

        (await app.Http.GetAsync($"/api/admin/only?code={keys.Default}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.Http.GetAsync($"/api/admin/only?code={keys.Echo}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var ok = await app.Http.GetAsync($"/api/admin/only?code={keys.Master}");
        ok.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ok.Content.ReadAsStringAsync()).ShouldBe("admin");

        var list = await app.Http.GetStringAsync($"/api/admin/functions?code={keys.Master}");
        using var functions = JsonDocument.Parse(list);
        functions.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString())
            .ShouldBe(["healthz", "readyz", "metrics", "functions", "echo", "adminonly", "throws"]);
        list.ShouldNotContain(keys.Master);
    }

    [Fact]
    public async Task Health_is_anonymous_and_readiness_waits_for_storage()
    {
        await using var app = await StartAsync(Keys());

        (await app.Http.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Http.GetAsync("/api/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await WaitFor.ConditionAsync(async () => (await app.Http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK, Timeout, "ready");
        (await app.Http.GetAsync("/api/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readiness_reports_unreachable_storage()
    {
        var settings = TestApp.DefaultSettings(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            TestNames.Unique("h"));
        await using var app = await TestApp.StartAsync(f => f.AddRuntimeDiagnostics(), settings);

        var response = await app.Http.GetAsync("/readyz");
        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync()).ShouldContain("storage");
    }

    [Fact]
    public async Task A_throwing_function_answers_500_without_details()
    {
        var keys = Keys();
        await using var app = await StartAsync(keys);

        var response = await app.Http.GetAsync($"/api/throws?code={keys.Default}");
        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await response.Content.ReadAsStringAsync()).ShouldNotContain("secret");
    }

    [Fact]
    public async Task Metrics_show_invocations_durations_queue_depths_and_other_meters()
    {
        var keys = Keys();
        var storage = await TestApp.StorageAsync();
        var prefix = TestNames.Unique("m");
        var settings = Settings(storage, prefix, keys);
        settings["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "1";
        await using var app = await TestApp.StartAsync(
            f => f.AddRuntimeDiagnostics().Http<Echo>("echo", "GET", "echo/{name}").Http<Counting>("counting", "GET")
                .Queue<AlwaysFails>("fails", prefix),
            settings,
            s => s.AddSingleton(new Recorder()));

        (await app.Http.GetAsync($"/api/echo/a?code={keys.Default}")).EnsureSuccessStatusCode();
        (await app.Http.GetAsync($"/api/echo/b?code={keys.Default}")).EnsureSuccessStatusCode();
        (await app.Http.GetAsync($"/api/counting?code={keys.Default}")).EnsureSuccessStatusCode();
        var queue = app.Get<StorageAccount>().Queue(prefix);
        await queue.CreateIfNotExistsAsync();
        await queue.SendMessageAsync("to the poison queue");

        string text = "";
        await WaitFor.ConditionAsync(async () =>
        {
            text = await app.Http.GetStringAsync("/metrics");
            return text.Contains($"scapi_queue_depth{{queue=\"{prefix}-poison\"}} 1", StringComparison.Ordinal);
        }, Timeout, "the poison queue's depth sampled");

        text.ShouldContain("# TYPE scapi_function_invocations_total counter");
        text.ShouldContain("scapi_function_invocations_total{function=\"echo\",result=\"success\",trigger=\"http\"} 2");
        text.ShouldContain("scapi_function_failures_total{function=\"fails\",trigger=\"queue\"} 1");
        text.ShouldContain("# TYPE scapi_function_duration_seconds histogram");
        text.ShouldContain("scapi_function_duration_seconds_count{function=\"echo\",trigger=\"http\"} 2");
        text.ShouldContain("scapi_function_duration_seconds_bucket{function=\"echo\",trigger=\"http\",le=\"+Inf\"} 2");
        text.ShouldContain("scapi_test_widgets_total{color=\"blue\"} 1");
        (await app.Http.GetAsync("/api/metrics")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.Http.GetStringAsync($"/api/metrics?code={keys.Default}")).ShouldContain("scapi_function_invocations_total");
    }

    /// <summary>Adds to a meter of its own, the way other parts of the product record metrics.</summary>
    public sealed class Counting(IMeterFactory meters) : IHttpFunction
    {
        private readonly Counter<long> _widgets = meters.Create("ServerlessCapi.Tests").CreateCounter<long>("scapi.test.widgets");

        public Task<Microsoft.AspNetCore.Http.IResult> RunAsync(Microsoft.AspNetCore.Http.HttpRequest request, CancellationToken ct)
        {
            _widgets.Add(1, new KeyValuePair<string, object?>("color", "blue"));
            return Task.FromResult(Microsoft.AspNetCore.Http.Results.Ok());
        }
    }

    private sealed record KeySet(string Master, string Default, string Echo);

    private static KeySet Keys() => new("m" + Guid.NewGuid().ToString("N"), "d" + Guid.NewGuid().ToString("N"), "e" + Guid.NewGuid().ToString("N"));

    private static Dictionary<string, string?> Settings(string storage, string prefix, KeySet keys)
    {
        var settings = TestApp.DefaultSettings(storage, prefix);
        settings["FunctionKeys:Master"] = keys.Master;
        settings["FunctionKeys:Default"] = keys.Default;
        settings["FunctionKeys:Functions:echo"] = keys.Echo;
        return settings;
    }

    private static async Task<TestApp> StartAsync(KeySet keys) =>
        await TestApp.StartAsync(
            f => f.AddRuntimeDiagnostics()
                .Http<Echo>("echo", "GET,POST", "echo/{name}")
                .Http<AdminOnly>("adminonly", "GET", "admin/only", AuthorizationLevel.Admin)
                .Http<Throws>("throws", "GET"),
            Settings(await TestApp.StorageAsync(), TestNames.Unique("h"), keys));
}
