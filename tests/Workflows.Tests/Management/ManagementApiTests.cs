using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DurableTask.Core;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Workflows.Tests.Management;

/// <summary>The Durable-Functions-shaped management API over real HTTP, against a real worker on Azurite: each call's
/// answer, and what it did to the task hub.</summary>
public sealed class ManagementApiTests : IAsyncLifetime
{
    private const string Base = ManagementApp.Base;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private ManagementApp app = null!;

    public async Task InitializeAsync() => app = await ManagementApp.StartAsync();

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Requests_need_the_admin_or_system_key_in_the_header_or_the_code_parameter()
    {
        await app.Host.Client.StartAsync("waiter", "auth-1", "in");
        using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
        (await anonymous.GetAsync($"{Base}/instances")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync($"{Base}/instances/auth-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.GetAsync($"{Base}/instances?code=wrong")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync($"{Base}/instances/auth-1/terminate", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.DeleteAsync($"{Base}/instances/auth-1")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync($"{Base}/entities/objectreconcile/Machine.x?op=Changed", null)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // Nothing the refused calls asked for happened.
        await WaitFor.ConditionAsync(async () => (await app.Client.GetAsync("auth-1", false))?.OrchestrationStatus == OrchestrationStatus.Running, Timeout, "the start");
        (await app.Client.GetEntityStateAsync("objectreconcile", "Machine.x")).ShouldBeNull();

        (await anonymous.GetAsync($"{Base}/instances?code={ManagementApp.AdminKey}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        using (var bySystemKey = await anonymous.GetAsync($"{Base}/instances/auth-1?showInput=false&code={ManagementApp.SystemKey}"))
        {
            bySystemKey.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            // The polling address keeps the caller's options but never the key.
            bySystemKey.Headers.Location!.PathAndQuery.ShouldBe($"{Base}/instances/auth-1?showInput=false");
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/instances/auth-1");
        request.Headers.Add("x-functions-key", ManagementApp.SystemKey);
        (await anonymous.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Unknown_instances_and_entities_answer_404()
    {
        (await app.Http.GetAsync($"{Base}/instances/no-such")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Http.PostAsync($"{Base}/instances/no-such/raiseEvent/go", ManagementApp.Json("1"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Http.PostAsync($"{Base}/instances/no-such/terminate", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Http.DeleteAsync($"{Base}/instances/no-such")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Http.GetAsync($"{Base}/entities/objectreconcile/Machine.none")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // A 404 created nothing.
        (await app.Client.GetAsync("no-such", false)).ShouldBeNull();
    }

    [Fact]
    public async Task Queries_filter_by_status_prefix_and_creation_time_and_page_with_the_continuation_header()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        foreach (var i in Enumerable.Range(0, 5)) await app.Host.Client.StartAsync("waiter", $"q-{i}", $"in{i}");
        await app.Host.Client.StartAsync("waiter", "other-0", "x");
        await WaitFor.ConditionAsync(async () => (await AllAsync("runtimeStatus=Running&instanceIdPrefix=q-", 100)).Rows.Count == 5, Timeout, "five running");
        foreach (var i in new[] { 0, 1 })
            (await app.Http.PostAsync($"{Base}/instances/q-{i}/raiseEvent/go", ManagementApp.Json("\"ok\""))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitFor.ConditionAsync(async () => (await AllAsync("runtimeStatus=Completed&instanceIdPrefix=q-", 100)).Rows.Count == 2, Timeout, "two completed");

        // Three running q- instances, two per page: more than one page, each carrying the token to the next.
        var (running, pages) = await AllAsync("runtimeStatus=Running&instanceIdPrefix=q-", 2);
        pages.ShouldBeGreaterThan(1);
        running.Select(r => r["instanceId"]!.GetValue<string>()).Order().ShouldBe(["q-2", "q-3", "q-4"]);
        running.ShouldAllBe(r => r["runtimeStatus"]!.GetValue<string>() == "Running" && r["name"]!.GetValue<string>() == "waiter");
        running.Single(r => r["instanceId"]!.GetValue<string>() == "q-3")["input"]!.GetValue<string>().ShouldBe("in3");

        var several = await AllAsync("runtimeStatus=Completed,Running&instanceIdPrefix=q-", 100);
        several.Rows.Count.ShouldBe(5);
        var completed = (await AllAsync("runtimeStatus=Completed&instanceIdPrefix=q-&showInput=false", 100)).Rows;
        completed.Select(r => r["instanceId"]!.GetValue<string>()).Order().ShouldBe(["q-0", "q-1"]);
        completed.ShouldAllBe(r => r["input"] == null);
        completed.Single(r => r["instanceId"]!.GetValue<string>() == "q-0")["output"]!.GetValue<string>().ShouldBe("in0:ok");

        var window = $"createdTimeFrom={Uri.EscapeDataString(before.ToString("O"))}&instanceIdPrefix=q-";
        (await AllAsync(window, 100)).Rows.Count.ShouldBe(5);
        (await AllAsync($"createdTimeTo={Uri.EscapeDataString(before.ToString("O"))}&instanceIdPrefix=q-", 100)).Rows.ShouldBeEmpty();
        (await app.Http.GetAsync($"{Base}/instances?runtimeStatus=Sleeping")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Status_shows_history_and_raise_event_and_terminate_change_the_instance()
    {
        await app.Host.Client.StartAsync("waiter", "s-1", "in");
        await app.Host.Client.StartAsync("waiter", "s-2", "in");
        await WaitFor.ConditionAsync(async () => (await app.Client.GetAsync("s-1", false))?.OrchestrationStatus == OrchestrationStatus.Running, Timeout, "s-1 running");

        using (var running = await app.Http.GetAsync($"{Base}/instances/s-1"))
        {
            running.StatusCode.ShouldBe(HttpStatusCode.Accepted);
            running.Headers.Location!.AbsolutePath.ShouldBe($"{Base}/instances/s-1");
            running.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(5));
            var body = (await running.Content.ReadFromJsonAsync<JsonObject>())!;
            body["name"]!.GetValue<string>().ShouldBe("waiter");
            body["instanceId"]!.GetValue<string>().ShouldBe("s-1");
            body["runtimeStatus"]!.GetValue<string>().ShouldBe("Running");
            body["input"]!.GetValue<string>().ShouldBe("in");
            body["createdTime"]!.GetValue<string>().ShouldMatch(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$");
            body.ContainsKey("lastUpdatedTime").ShouldBeTrue();
            body.ContainsKey("historyEvents").ShouldBeFalse("history only when asked");
        }
        (await app.Http.GetAsync($"{Base}/instances/s-1?showInput=false").ContinueWith(t => t.Result.Content.ReadFromJsonAsync<JsonObject>()).Unwrap())!["input"].ShouldBeNull();

        // Raise: only JSON bodies.
        (await app.Http.PostAsync($"{Base}/instances/s-1/raiseEvent/go", new StringContent("now", Encoding.UTF8, "text/plain"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.Http.PostAsync($"{Base}/instances/s-1/raiseEvent/go", ManagementApp.Json("{not json"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.Http.PostAsync($"{Base}/instances/s-1/raiseEvent/go", ManagementApp.Json("\"now\""))).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var done = await WaitFor.ValueAsync(async () => await app.Client.GetAsync("s-1", true) is { OrchestrationStatus: OrchestrationStatus.Completed } s ? s : null, Timeout, "completion");
        done.Output.ShouldBe("\"in:now\"");

        var status = await app.GetJsonAsync($"{Base}/instances/s-1?showHistory=true");
        status["runtimeStatus"]!.GetValue<string>().ShouldBe("Completed");
        status["output"]!.GetValue<string>().ShouldBe("in:now");
        var history = status["historyEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        history.Select(e => e["EventType"]!.GetValue<string>()).ShouldBe(["ExecutionStarted", "EventRaised", "ExecutionCompleted"]);
        history[0]["FunctionName"]!.GetValue<string>().ShouldBe("waiter");
        history[0].ContainsKey("Input").ShouldBeFalse();
        history[1]["Name"]!.GetValue<string>().ShouldBe("go");
        history[1].ContainsKey("Input").ShouldBeFalse();
        history[2]["OrchestrationStatus"]!.GetValue<string>().ShouldBe("Completed");
        history[2].ContainsKey("Result").ShouldBeFalse("results only with showHistoryOutput");
        history.ShouldAllBe(e => !e.ContainsKey("EventId") && !e.ContainsKey("IsPlayed") && e.ContainsKey("Timestamp"));
        var withOutput = await app.GetJsonAsync($"{Base}/instances/s-1?showHistory=true&showHistoryOutput=true");
        withOutput["historyEvents"]!.AsArray().Last()!["Result"]!.GetValue<string>().ShouldBe("in:now");

        (await app.Http.PostAsync($"{Base}/instances/s-1/raiseEvent/go", ManagementApp.Json("1"))).StatusCode.ShouldBe(HttpStatusCode.Gone);
        (await app.Http.PostAsync($"{Base}/instances/s-1/terminate", null)).StatusCode.ShouldBe(HttpStatusCode.Gone);

        // Terminate, with the reason recorded as the output.
        (await app.Http.PostAsync($"{Base}/instances/s-2/terminate?reason=by%20admin", null)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var terminated = await WaitFor.ValueAsync(async () => await app.Client.GetAsync("s-2", false) is { OrchestrationStatus: OrchestrationStatus.Terminated } s ? s : null, Timeout, "termination");
        terminated.Output.ShouldContain("by admin");
        var terminatedBody = await app.GetJsonAsync($"{Base}/instances/s-2");
        terminatedBody["runtimeStatus"]!.GetValue<string>().ShouldBe("Terminated");
        (await app.Http.PostAsync($"{Base}/instances/s-2/raiseEvent/go", ManagementApp.Json("1"))).StatusCode.ShouldBe(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task An_activity_shows_in_the_history_as_one_completion_with_its_name_and_scheduled_time()
    {
        await app.Host.Client.StartAsync("caller", "c-1", "hi");
        await WaitFor.ConditionAsync(async () => (await app.Client.GetAsync("c-1", false))?.OrchestrationStatus == OrchestrationStatus.Completed, Timeout, "completion");

        var history = (await app.GetJsonAsync($"{Base}/instances/c-1?showHistory=true"))["historyEvents"]!.AsArray().Select(e => e!.AsObject()).ToList();
        history.Select(e => e["EventType"]!.GetValue<string>()).ShouldBe(["ExecutionStarted", "TaskCompleted", "ExecutionCompleted"]);
        var task = history[1];
        task["FunctionName"]!.GetValue<string>().ShouldBe("echo");
        DateTime.Parse(task["ScheduledTime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBeLessThanOrEqualTo(DateTime.Parse(task["Timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        task.ContainsKey("TaskScheduledId").ShouldBeFalse();
        task.ContainsKey("Result").ShouldBeFalse();

        var withOutput = (await app.GetJsonAsync($"{Base}/instances/c-1?showHistory=true&showHistoryOutput=true"))["historyEvents"]!.AsArray();
        withOutput[1]!["Result"]!.GetValue<string>().ShouldBe("echo:hi");
        withOutput[2]!["Result"]!.GetValue<string>().ShouldBe("echo:hi");
    }

    [Fact]
    public async Task Purge_removes_finished_instances_one_by_one_or_by_filter_and_refuses_running_ones()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        foreach (var id in new[] { "p-1", "p-2", "p-3", "p-run" }) await app.Host.Client.StartAsync("waiter", id, "in");
        await WaitFor.ConditionAsync(async () => (await app.Client.GetAsync("p-run", false))?.OrchestrationStatus == OrchestrationStatus.Running, Timeout, "p-run running");
        await app.Host.Client.RaiseEventAsync("p-1", "go", "x");
        await app.Host.Client.TerminateAsync("p-2", "t");
        await app.Host.Client.TerminateAsync("p-3", "t");
        await WaitFor.ConditionAsync(async () =>
            (await app.Client.GetAsync("p-1", false))?.OrchestrationStatus == OrchestrationStatus.Completed
            && (await app.Client.GetAsync("p-2", false))?.OrchestrationStatus == OrchestrationStatus.Terminated
            && (await app.Client.GetAsync("p-3", false))?.OrchestrationStatus == OrchestrationStatus.Terminated, Timeout, "finished instances");

        using (var refused = await app.Http.DeleteAsync($"{Base}/instances/p-run"))
            refused.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await app.Client.GetAsync("p-run", false)).ShouldNotBeNull();

        using (var one = await app.Http.DeleteAsync($"{Base}/instances/p-1"))
        {
            one.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await one.Content.ReadFromJsonAsync<JsonObject>())!["instancesDeleted"]!.GetValue<int>().ShouldBe(1);
        }
        (await app.Client.GetAsync("p-1", false)).ShouldBeNull();
        (await app.Http.GetAsync($"{Base}/instances/p-1")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await app.Http.DeleteAsync($"{Base}/instances?runtimeStatus=Terminated")).StatusCode.ShouldBe(HttpStatusCode.BadRequest, "createdTimeFrom is required");
        var from = Uri.EscapeDataString(before.ToString("O"));
        using (var filtered = await app.Http.DeleteAsync($"{Base}/instances?createdTimeFrom={from}&runtimeStatus=Terminated"))
        {
            filtered.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await filtered.Content.ReadFromJsonAsync<JsonObject>())!["instancesDeleted"]!.GetValue<int>().ShouldBe(2);
        }
        (await app.Client.GetAsync("p-2", false)).ShouldBeNull();
        (await app.Client.GetAsync("p-3", false)).ShouldBeNull();
        (await app.Client.GetAsync("p-run", false))!.OrchestrationStatus.ShouldBe(OrchestrationStatus.Running);
        (await app.Http.DeleteAsync($"{Base}/instances?createdTimeFrom={from}&runtimeStatus=Terminated")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "nothing left to purge");
    }

    [Fact]
    public async Task Entities_are_signalled_and_read_through_their_name_and_key()
    {
        var key = Hubs.Key("api-entity");
        var path = $"{Base}/entities/objectreconcile/{key.DurableKey}";
        var keyJson = $$"""{"Kind":"{{key.Kind}}","Namespace":"{{key.Namespace}}","Name":"{{key.Name}}","Uid":"{{key.Uid}}"}""";
        (await app.Http.PostAsync($"{path}?op=Changed", ManagementApp.Json(keyJson))).StatusCode.ShouldBe(HttpStatusCode.Accepted);

        var state = await WaitFor.ValueAsync(async () =>
        {
            using var response = await app.Http.GetAsync(path);
            return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        }, Timeout, "the entity's state");
        state["Runs"]!.GetValue<long>().ShouldBe(1);
        state["Key"]!["Name"]!.GetValue<string>().ShouldBe("api-entity");
        app.Reconcile.CallsOf(key).ShouldBe(1, "the signal ran the reconcile");
        (await app.Host.Client.GetStateAsync(key))!.Runs.ShouldBe(1);

        // The entity is an instance too, listed by its '@name@key' id.
        var listed = await app.GetJsonAsync($"{Base}/instances?instanceIdPrefix=@objectreconcile@");
        listed.AsArray().Select(r => r!["instanceId"]!.GetValue<string>()).ShouldBe([$"@objectreconcile@{key.DurableKey}"]);
        var entities = (await app.GetJsonAsync($"{Base}/entities/objectreconcile?fetchState=true")).AsArray();
        entities.Count.ShouldBe(1);
        entities[0]!["entityId"]!["name"]!.GetValue<string>().ShouldBe("objectreconcile");
        entities[0]!["entityId"]!["key"]!.GetValue<string>().ShouldBe(key.DurableKey);
        entities[0]!["state"]!["Runs"]!.GetValue<long>().ShouldBe(1);
        (await app.GetJsonAsync($"{Base}/entities/othername")).AsArray().ShouldBeEmpty();

        // DELETE signals the entity's delete operation: its state goes, and the state endpoint says so.
        (await app.Http.DeleteAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        await WaitFor.ConditionAsync(async () => (await app.Http.GetAsync(path)).StatusCode == HttpStatusCode.NotFound, Timeout, "the state's deletion");
        (await app.Host.Client.GetStateAsync(key)).ShouldBeNull();
        (await app.GetJsonAsync($"{Base}/entities")).AsArray().ShouldBeEmpty("a deleted entity is not listed");
    }

    private async Task<(List<JsonObject> Rows, int Pages)> AllAsync(string query, int top)
    {
        var rows = new List<JsonObject>();
        string? token = null;
        var pages = 0;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{Base}/instances?{query}&top={top}");
            if (token is not null) request.Headers.Add("x-ms-continuation-token", token);
            using var response = await app.Http.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            rows.AddRange((await response.Content.ReadFromJsonAsync<JsonArray>())!.Select(n => n!.AsObject()));
            pages++;
            token = response.Headers.TryGetValues("x-ms-continuation-token", out var values) ? values.FirstOrDefault() : null;
        }
        while (!string.IsNullOrEmpty(token));
        return (rows, pages);
    }
}
