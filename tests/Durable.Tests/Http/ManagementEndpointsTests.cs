using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Tests.Storage;

namespace ServerlessCapi.Durable.Tests.Http;

/// <summary>The Durable-Functions-shaped management API over real HTTP, backed by Azurite.</summary>
public sealed class ManagementEndpointsTests : IAsyncLifetime
{
    private const string Key = "test-admin-key";
    private const string Base = "/runtime/webhooks/durabletask";
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDurableWorkflows(o =>
        {
            o.ConnectionString = cs;
            o.HubName = TestNames.Unique("h");
            o.PartitionCount = 1;
            o.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
            o.LeaseDuration = TimeSpan.FromSeconds(15);
        }).AddWorkflow(StorageLifecycleTests.TimerThenSignal(TimeSpan.FromHours(1)));
        _app = builder.Build();
        _app.MapWorkflowManagementEndpoints(Key);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address) };
        _http.DefaultRequestHeaders.Add("x-functions-key", Key);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Requests_without_the_admin_key_are_unauthorized_and_the_code_parameter_is_accepted()
    {
        using var anonymous = new HttpClient { BaseAddress = _http.BaseAddress };
        (await anonymous.GetAsync($"{Base}/instances")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync($"{Base}/instances?code=wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync($"{Base}/orchestrators/Flow/x", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync($"{Base}/instances?code={Key}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Start_get_raise_suspend_resume_terminate_and_purge_answer_with_durable_functions_status_codes()
    {
        var started = await _http.PostAsync($"{Base}/orchestrators/Flow/Machine%2Fa", Json("{\"spec\":1}"));
        started.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        started.Headers.Location!.ToString().ShouldEndWith($"{Base}/instances/Machine%2Fa");
        var payload = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        payload["id"]!.GetValue<string>().ShouldBe("Machine/a");
        payload["sendEventPostUri"]!.GetValue<string>().ShouldNotContain(Key);

        (await _http.PostAsync($"{Base}/orchestrators/Flow/Machine%2Fa", Json("{}"))).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await _http.PostAsync($"{Base}/orchestrators/NoSuchWorkflow/b", Json("{}"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _http.PostAsync($"{Base}/orchestrators/Flow/c", Json("{not json"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var (running, body) = await WaitForAsync("Machine%2Fa", s => s["customStatus"]?.GetValue<string>() == "waiting-timer");
        running.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        running.Headers.RetryAfter.ShouldNotBeNull();
        body["name"]!.GetValue<string>().ShouldBe("Flow");
        body["instanceId"]!.GetValue<string>().ShouldBe("Machine/a");
        body["runtimeStatus"]!.GetValue<string>().ShouldBe("Running");
        body["input"]!["spec"]!.GetValue<int>().ShouldBe(1);
        body["createdTime"]!.GetValue<string>().ShouldEndWith("Z");
        body["lastUpdatedTime"].ShouldNotBeNull();
        (await _http.GetAsync($"{Base}/instances/Machine%2Fmissing")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await _http.PostAsync($"{Base}/instances/Machine%2Fa/raiseEvent/ping", Json("{\"n\":2}"))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _http.PostAsync($"{Base}/instances/Machine%2Fa/raiseEvent/ping", Json("nope{"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _http.PostAsync($"{Base}/instances/Machine%2Fmissing/raiseEvent/ping", Json("{}"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await WaitForAsync("Machine%2Fa?showHistory=true",
            s => s["historyEvents"]!.AsArray().Any(e => e!["EventType"]!.GetValue<string>() == "Signal:ping"));

        (await _http.PostAsync($"{Base}/instances/Machine%2Fa/suspend?reason=maintenance", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitForAsync("Machine%2Fa", s => s["runtimeStatus"]!.GetValue<string>() == "Suspended");
        (await _http.PostAsync($"{Base}/instances/Machine%2Fa/resume?reason=done", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitForAsync("Machine%2Fa", s => s["runtimeStatus"]!.GetValue<string>() == "Running");
        (await _http.DeleteAsync($"{Base}/instances/Machine%2Fa")).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        (await _http.PostAsync($"{Base}/instances/Machine%2Fa/terminate?reason=retired", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _http.PostAsync($"{Base}/instances/Machine%2Fa/terminate", null)).StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await _http.PostAsync($"{Base}/instances/Machine%2Fa/raiseEvent/ping", Json("{}"))).StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await _http.PostAsync($"{Base}/instances/Machine%2Fmissing/terminate", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var final = await _http.GetAsync($"{Base}/instances/Machine/a?showHistory=true");
        final.StatusCode.ShouldBe(HttpStatusCode.OK);
        var finalBody = (await final.Content.ReadFromJsonAsync<JsonObject>())!;
        finalBody["runtimeStatus"]!.GetValue<string>().ShouldBe("Terminated");
        var events = finalBody["historyEvents"]!.AsArray().Select(e => e!["EventType"]!.GetValue<string>()).ToList();
        events.ShouldBe(["Created", "Started", "Signal:ping", "Suspended", "Resumed", "Terminated"]);

        var purged = await _http.DeleteAsync($"{Base}/instances/Machine%2Fa");
        purged.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await purged.Content.ReadFromJsonAsync<JsonObject>())!["instancesDeleted"]!.GetValue<int>().ShouldBe(1);
        (await _http.DeleteAsync($"{Base}/instances/Machine%2Fa")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Listing_filters_and_pages_with_the_continuation_token_header()
    {
        for (var i = 0; i < 5; i++)
            (await _http.PostAsync($"{Base}/orchestrators/Flow/Cluster%2F{i}", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _http.PostAsync($"{Base}/orchestrators/Flow/Other%2F0", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        (await _http.PostAsync($"{Base}/instances/Cluster%2F0/terminate", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var ids = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                $"{Base}/instances?instanceIdPrefix=Cluster/&runtimeStatus=Pending,Running&top=2&createdTimeFrom={DateTime.UtcNow.AddMinutes(-5):O}");
            if (token is not null) request.Headers.Add("x-ms-continuation-token", token);
            var response = await _http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
            page.Count.ShouldBeLessThanOrEqualTo(2);
            ids.AddRange(page.Select(p => p!["instanceId"]!.GetValue<string>()));
            token = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.First() : null;
            pages++;
        }
        while (token is not null && pages < 20);
        ids.Order().ShouldBe(["Cluster/1", "Cluster/2", "Cluster/3", "Cluster/4"]);
        pages.ShouldBeGreaterThan(1);

        (await _http.GetAsync($"{Base}/instances?runtimeStatus=Sleeping")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _http.GetAsync($"{Base}/instances?createdTimeFrom=yesterday")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private async Task<(HttpResponseMessage Response, JsonObject Body)> WaitForAsync(string encodedId, Func<JsonObject, bool> condition)
    {
        HttpResponseMessage? last = null;
        JsonObject? body = null;
        await WaitFor.ConditionAsync(async () =>
        {
            last = await _http.GetAsync($"{Base}/instances/{encodedId}");
            if (last.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted)) return false;
            body = (await last.Content.ReadFromJsonAsync<JsonObject>())!;
            return condition(body);
        }, TimeSpan.FromSeconds(20), $"instance {encodedId}");
        return (last!, body!);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
}
