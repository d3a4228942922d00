using DurableTask.Core;
using Microsoft.DurableTask;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>The client shapes a management API needs, against a real worker: list with filters and continuation,
/// status with history, raise, terminate, purge; entities visible by prefix.</summary>
public sealed class ManagementClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>An SDK orchestrator that waits for one event and returns its payload.</summary>
    private sealed class Waiter : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
            $"{input}:{await context.WaitForExternalEvent<string>("go")}";
    }

    [Fact]
    public async Task Instances_are_listed_paged_inspected_terminated_and_purged()
    {
        var reconcile = new RecordingReconcile();
        await using var host = new DurableHost(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        host.AddOrchestrator("waiter", () => new Waiter());
        await host.StartAsync();
        var client = host.Client;
        foreach (var i in Enumerable.Range(0, 3)) await client.StartAsync("waiter", $"proc-{i}", $"in{i}");
        await client.SignalChangedAsync(Hubs.Key("listed"));

        await WaitFor.ConditionAsync(async () => (await AllAsync(client, new InstanceFilter([OrchestrationStatus.Running], IdPrefix: "proc-"))).Count == 3, Timeout, "three running");
        // Paging: a page of two carries a continuation to the third.
        var first = await client.QueryInstancesAsync(new InstanceFilter(IdPrefix: "proc-"), 2, null);
        first.Instances.Count.ShouldBe(2);
        first.ContinuationToken.ShouldNotBeNull();
        var second = await client.QueryInstancesAsync(new InstanceFilter(IdPrefix: "proc-"), 2, first.ContinuationToken);
        first.Instances.Concat(second.Instances).Select(r => r.InstanceId).Order().ShouldBe(["proc-0", "proc-1", "proc-2"]);

        await client.RaiseEventAsync("proc-0", "go", "now");
        var done = await WaitFor.ValueAsync(async () => await client.GetStatusAsync("proc-0", withHistory: true) is { Status: OrchestrationStatus.Completed } s ? s : null, Timeout, "completion");
        done.Output.ShouldBe("\"in0:now\"");
        done.HistoryJson.ShouldNotBeNull();
        done.HistoryJson.ShouldContain("\"Name\":\"go\"", Case.Sensitive, "the raised event is in the history");

        await client.TerminateAsync("proc-1", "admin");
        await WaitFor.ConditionAsync(async () => (await client.GetStatusAsync("proc-1", false))?.Status == OrchestrationStatus.Terminated, Timeout, "termination");
        (await AllAsync(client, new InstanceFilter([OrchestrationStatus.Completed, OrchestrationStatus.Terminated], IdPrefix: "proc-")))
            .Select(r => r.InstanceId).Order().ShouldBe(["proc-0", "proc-1"]);

        (await client.PurgeAsync("proc-0")).ShouldBe(1);
        (await client.GetStatusAsync("proc-0", false)).ShouldBeNull();

        // The object entity shows up among entities by prefix once its first signal ran.
        await WaitFor.ConditionAsync(async () => (await client.GetStateAsync(Hubs.Key("listed")))?.Runs == 1, Timeout, "the entity's run");
        var entities = await client.QueryEntitiesAsync($"@{ObjectReconcileEntity.Name}@Machine.", 10, null);
        entities.Entities.Select(e => e.InstanceId).ShouldBe([ObjectReconcileEntity.IdFor(Hubs.Key("listed")).ToString()]);
    }

    private static async Task<List<InstanceRow>> AllAsync(ObjectWorkflowClient client, InstanceFilter filter)
    {
        var rows = new List<InstanceRow>();
        string? token = null;
        do
        {
            var page = await client.QueryInstancesAsync(filter, 100, token);
            rows.AddRange(page.Instances);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return rows;
    }
}
