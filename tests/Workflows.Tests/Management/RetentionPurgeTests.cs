using DurableTask.Core;
using Microsoft.Extensions.Configuration;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Management;

namespace ServerlessCapi.Workflows.Tests.Management;

/// <summary>The retention purge against a real worker on Azurite: what deleted objects and finished procedures leave
/// behind goes once idle for the retention; live objects and running procedures stay.</summary>
public sealed class RetentionPurgeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Purges_deleted_objects_and_finished_orchestrations_once_older_than_the_retention()
    {
        await using var app = await ManagementApp.StartAsync();
        var objects = app.Host.Client;
        var live = Hubs.Key("live");
        var gone = Hubs.Key("gone");
        await objects.SignalChangedAsync(live);
        await objects.SignalChangedAsync(gone);
        await objects.StartAsync("waiter", "proc-done", "in");
        await objects.StartAsync("waiter", "proc-running", "in");
        await WaitFor.ConditionAsync(async () => (await objects.GetStateAsync(live))?.Runs == 1 && (await objects.GetStateAsync(gone))?.Runs == 1,
            Timeout, "both objects' first runs");
        await WaitFor.ConditionAsync(async () => (await app.Client.GetAsync("proc-done", false))?.OrchestrationStatus == OrchestrationStatus.Running,
            Timeout, "the procedure's start");
        await objects.RaiseEventAsync("proc-done", "go", "x");
        // The object is deleted: its entity's state goes (the SDK's implicit delete operation).
        await objects.SignalAsync(ObjectReconcileEntity.IdFor(gone).ToString(), "delete", null);
        await WaitFor.ConditionAsync(async () =>
            await objects.GetStateAsync(gone) is null
            && (await app.Client.GetAsync("proc-done", false))?.OrchestrationStatus == OrchestrationStatus.Completed, Timeout, "deletion and completion");
        var goneId = ObjectReconcileEntity.IdFor(gone).ToString();
        // A wake that outlived its object (here: one for an object that never had a change) deletes the state it would
        // create, but leaves the instance row behind for the purge.
        var staleId = ObjectReconcileEntity.IdFor(Hubs.Key("stale")).ToString();
        await objects.SignalAsync(staleId, nameof(ObjectReconcileEntity.Wake), 99L);
        await WaitFor.ConditionAsync(async () => Idle(await app.Client.GetAsync(staleId, true)), Timeout, "the stale wake's entity to be idle");
        (await app.Client.GetEntityStateAsync(ObjectReconcileEntity.Name, Hubs.Key("stale").DurableKey)).ShouldBeNull();
        // The deleted entity's instance row is still there: storage keeps it until something purges it.
        await WaitFor.ConditionAsync(async () => Idle(await app.Client.GetAsync(goneId, true)), Timeout, "the deleted entity to be idle");

        var purge = new RetentionPurge(app.Host, TimeSpan.FromDays(7));
        var now = DateTimeOffset.UtcNow;
        (await purge.PurgeAsync(now, CancellationToken.None)).ShouldBe(0, "nothing is older than the retention yet");
        (await purge.PurgeAsync(now.AddDays(6), CancellationToken.None)).ShouldBe(0, "six days idle is inside a seven-day retention");
        (await app.Client.GetAsync(goneId, false)).ShouldNotBeNull();
        (await app.Client.GetAsync(staleId, false)).ShouldNotBeNull();
        (await app.Client.GetAsync("proc-done", false)).ShouldNotBeNull();

        (await purge.PurgeAsync(now.AddDays(8), CancellationToken.None)).ShouldBe(3);
        (await app.Client.GetAsync(goneId, false)).ShouldBeNull();
        (await app.Client.GetAsync(staleId, false)).ShouldBeNull();
        (await app.Client.GetAsync("proc-done", false)).ShouldBeNull();
        (await objects.GetStateAsync(live))!.Runs.ShouldBe(1, "a live object keeps its entity");
        (await app.Client.GetAsync("proc-running", false))!.OrchestrationStatus.ShouldBe(OrchestrationStatus.Running);
        (await purge.PurgeAsync(now.AddDays(8), CancellationToken.None)).ShouldBe(0, "a second run finds nothing left");

        // A purged object's entity is gone for good, but nothing breaks if a late signal arrives: it starts afresh.
        await objects.SignalChangedAsync(gone);
        await WaitFor.ConditionAsync(async () => (await objects.GetStateAsync(gone))?.Runs == 1, Timeout, "a fresh entity");
    }

    [Fact]
    public void The_retention_comes_from_the_setting_and_defaults_to_seven_days()
    {
        RetentionPurge.RetentionFrom(new ConfigurationBuilder().Build()).ShouldBe(TimeSpan.FromDays(7));
        var configured = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [RetentionPurge.RetentionSetting] = "2.12:00:00" })
            .Build();
        RetentionPurge.RetentionFrom(configured).ShouldBe(TimeSpan.FromHours(60));
        RetentionPurge.RetentionSetting.ShouldBe("Durable:PurgeRetention");
    }

    private static bool Idle(OrchestrationState? state) =>
        state is not null && DurableTask.Core.Entities.ClientEntityHelpers.GetEntityStatus(state.Status) is { EntityExists: false, LockedBy: null, BacklogQueueSize: 0 };
}
