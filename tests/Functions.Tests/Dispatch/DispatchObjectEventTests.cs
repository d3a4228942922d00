using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Api;
using ServerlessCapi.Functions.Dispatch;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Workflows.Reconcile;
using ObjectKey = ServerlessCapi.Workflows.Reconcile.ObjectKey;

namespace ServerlessCapi.Functions.Tests.Dispatch;

public class DispatchObjectEventTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_event_from_the_queue_wakes_the_object_its_controller_its_cluster_and_the_cluster_s_health_checks()
    {
        var prefix = TestNames.Unique("d");
        var workflows = new RecordingSignals();
        await using var app = await StartAsync(prefix, workflows);
        var machine = Machine(deleted: false);
        var queue = app.Get<StorageAccount>().Queue(prefix);
        await queue.CreateIfNotExistsAsync();

        var e = ObjectEvents.Create("mgmt", "machines", machine, DateTimeOffset.UtcNow);
        await queue.SendMessageAsync(ObjectEvents.Serialize(e));
        await WaitFor.ConditionAsync(() => workflows.Raised.Count == 4, Timeout, "four signals");

        workflows.Raised.ShouldBe(
            [
                new ObjectKey("Machine", "ns", "m", "u-m"), new ObjectKey("MachineSet", "ns", "ms", "u-ms"), new ObjectKey("Cluster", "ns", "c1", "u-c1"),
                new ObjectKey("MachineHealthCheck", "ns", "workers", "u-mhc"),
            ], ignoreOrder: true);
    }

    [Fact]
    public async Task A_duplicate_delivery_and_a_deletion_signal_the_object_again_for_its_entity_to_coalesce_or_clean_up()
    {
        var prefix = TestNames.Unique("d");
        var workflows = new RecordingSignals();
        await using var app = await StartAsync(prefix, workflows);
        var queue = app.Get<StorageAccount>().Queue(prefix);
        await queue.CreateIfNotExistsAsync();

        var changed = ObjectEvents.Serialize(ObjectEvents.Create("mgmt", "machines", Machine(deleted: false), DateTimeOffset.UtcNow));
        await queue.SendMessageAsync(changed);
        await queue.SendMessageAsync(changed);
        await queue.SendMessageAsync(ObjectEvents.Serialize(ObjectEvents.Create("mgmt", "machines", Machine(deleted: true), DateTimeOffset.UtcNow)));
        await WaitFor.ConditionAsync(() => workflows.Raised.Count == 12, Timeout, "twelve signals");

        // Signals say only "look again": the entity coalesces the duplicate, and the deletion's reconcile finds the
        // object gone and deletes the entity.
        workflows.Raised.Where(r => r.Uid == "u-m").ShouldAllBe(r => r == new ObjectKey("Machine", "ns", "m", "u-m"));
        workflows.Raised.Count(r => r.Uid == "u-m").ShouldBe(3);
    }

    [Fact]
    public async Task A_batch_of_changes_wakes_every_object_and_a_shared_cluster_once()
    {
        var prefix = TestNames.Unique("d");
        var workflows = new RecordingSignals();
        await using var app = await StartAsync(prefix, workflows);
        var queue = app.Get<StorageAccount>().Queue(prefix);
        await queue.CreateIfNotExistsAsync();

        var first = ObjectEvents.Create("mgmt", "machines", Machine(deleted: false), DateTimeOffset.UtcNow);
        var second = ObjectEvents.Create("mgmt", "machines", Machine(deleted: false) with { Name = "m2", Uid = "u-m2" }, DateTimeOffset.UtcNow);
        await queue.SendMessageAsync(ObjectEvents.SerializeBatch([first, second]));
        await WaitFor.ConditionAsync(() => workflows.Batches == 1, Timeout, "the batch's signals");

        workflows.Ids.ShouldBe(["Machine/u-m", "Machine/u-m2", "MachineSet/u-ms", "Cluster/u-c1", "MachineHealthCheck/u-mhc"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_version_the_object_s_own_workflow_wrote_wakes_only_the_others()
    {
        var prefix = TestNames.Unique("d");
        var workflows = new RecordingSignals();
        var own = new OwnWrites();
        await using var app = await StartAsync(prefix, workflows, own);
        var queue = app.Get<StorageAccount>().Queue(prefix);
        await queue.CreateIfNotExistsAsync();

        own.Record("u-m", "7");
        await queue.SendMessageAsync(ObjectEvents.Serialize(ObjectEvents.Create("mgmt", "machines", Machine(deleted: false), DateTimeOffset.UtcNow)));
        await WaitFor.ConditionAsync(() => workflows.Batches == 1, Timeout, "the others' signals");

        workflows.Ids.ShouldBe(["MachineSet/u-ms", "Cluster/u-c1", "MachineHealthCheck/u-mhc"], ignoreOrder: true);
        own.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_status_change_that_aggregates_do_not_read_wakes_the_owner_but_not_the_cluster_and_a_timestamp_only_change_wakes_no_other()
    {
        var prefix = TestNames.Unique("d");
        var workflows = new RecordingSignals();
        await using var app = await StartAsync(prefix, workflows);
        var queue = app.Get<StorageAccount>().Queue(prefix);
        await queue.CreateIfNotExistsAsync();

        var status = Machine(deleted: false) with { ResourceVersion = "8", Changed = [ObjectAspects.Status] };
        var timestamps = Machine(deleted: false) with { Name = "m2", Uid = "u-m2", Changed = [] };
        await queue.SendMessageAsync(ObjectEvents.SerializeBatch(
            [ObjectEvents.Create("mgmt", "machines", status, DateTimeOffset.UtcNow), ObjectEvents.Create("mgmt", "machines", timestamps, DateTimeOffset.UtcNow)]));
        await WaitFor.ConditionAsync(() => workflows.Batches == 1, Timeout, "the batch's signals");

        workflows.Ids.ShouldBe(["Machine/u-m", "MachineSet/u-ms", "Machine/u-m2"], ignoreOrder: true);
    }

    [Fact]
    public async Task The_lookups_of_one_message_run_concurrently_and_each_target_is_looked_up_once()
    {
        var prefix = TestNames.Unique("d");
        var workflows = new RecordingSignals();
        var lookup = new OverlapLookup();
        await using var app = await StartAsync(prefix, workflows, lookup: lookup);
        var queue = app.Get<StorageAccount>().Queue(prefix);
        await queue.CreateIfNotExistsAsync();

        // Four Machines of four clusters and a second change in the first cluster: four Cluster uids to find and four
        // clusters' health checks to list.
        var changes = Enumerable.Range(1, 4)
            .Select(i => Machine(deleted: false) with { Name = $"m{i}", Uid = $"u-m{i}", Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = $"c{i}" } })
            .Append(Machine(deleted: false) with { Name = "m5", Uid = "u-m5" })
            .Select(c => ObjectEvents.Create("mgmt", "machines", c, DateTimeOffset.UtcNow))
            .ToList();
        await queue.SendMessageAsync(ObjectEvents.SerializeBatch(changes));
        await WaitFor.ConditionAsync(() => workflows.Batches == 1, Timeout, "the batch's signals");

        lookup.MostAtOnce.ShouldBeGreaterThan(1);
        lookup.Calls.Order().ShouldBe(["Cluster/ns/c1", "Cluster/ns/c2", "Cluster/ns/c3", "Cluster/ns/c4"]);
        lookup.Lists.Order().ShouldBe([.. Enumerable.Range(1, 4).Select(i => $"MachineHealthCheck/ns/{CapiLabels.ClusterName}=c{i}")]);
        workflows.Ids.Where(i => i.StartsWith("Cluster/", StringComparison.Ordinal)).Order()
            .ShouldBe(["Cluster/u-c1", "Cluster/u-c2", "Cluster/u-c3", "Cluster/u-c4"]);
    }

    private static ObjectEventData Machine(bool deleted) => new()
    {
        ApiVersion = "cluster.x-k8s.io/v1beta2",
        Kind = "Machine",
        Namespace = "ns",
        Name = "m",
        Uid = "u-m",
        ResourceVersion = "7",
        Deleting = deleted,
        Deleted = deleted,
        Owners = [new OwnerKey("cluster.x-k8s.io/v1beta2", "MachineSet", "ms", "u-ms", Controller: true)],
        Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = "c1" },
    };

    private static async Task<TestApp> StartAsync(string prefix, RecordingSignals workflows, OwnWrites? own = null, IObjectLookup? lookup = null) =>
        await TestApp.StartAsync(
            f => f.Queue<DispatchObjectEvent>("dispatch", prefix),
            TestApp.DefaultSettings(await TestApp.StorageAsync(), prefix),
            s => s.AddSingleton<IObjectSignals>(workflows)
                .AddSingleton(ReconciledKinds.Routes())
                .AddSingleton<DispatchMetrics>()
                .AddSingleton(own ?? new OwnWrites())
                .AddSingleton(lookup ?? new NameLookup(new Dictionary<string, string> { ["Cluster/ns/c1"] = "u-c1" })));

    /// <summary>Resolves names from a fixed table (the Kubernetes-backed lookup is tested with the API server).</summary>
    private sealed class NameLookup(IReadOnlyDictionary<string, string> uids) : IObjectLookup
    {
        public Task<string?> UidAsync(RouteTarget target, CancellationToken ct) =>
            Task.FromResult(target.Uid ?? uids.GetValueOrDefault($"{target.Kind}/{target.Namespace}/{target.Name}"));

        public Task<IReadOnlyList<(string Name, string Uid)>> MatchingAsync(RouteTarget target, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<(string Name, string Uid)>>(
                target is { Kind: "MachineHealthCheck", Namespace: "ns", Selector: $"{CapiLabels.ClusterName}=c1" } ? [("workers", "u-mhc")] : []);
    }

    /// <summary>Resolves a Cluster's uid from its name, holding each lookup until another one is in flight (or a few
    /// seconds pass), and records how many were in flight at once.</summary>
    private sealed class OverlapLookup : IObjectLookup
    {
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _most;

        public System.Collections.Concurrent.ConcurrentBag<string> Calls { get; } = [];
        public int MostAtOnce => Volatile.Read(ref _most);

        public async Task<string?> UidAsync(RouteTarget target, CancellationToken ct)
        {
            if (target.Uid is not null) return target.Uid;
            Calls.Add($"{target.Kind}/{target.Namespace}/{target.Name}");
            var now = Interlocked.Increment(ref _inFlight);
            int most;
            while ((most = Volatile.Read(ref _most)) < now && Interlocked.CompareExchange(ref _most, now, most) != most)
            {
            }
            if (now > 1) _second.TrySetResult();
            await Task.WhenAny(_second.Task, Task.Delay(TimeSpan.FromSeconds(5), ct));
            Interlocked.Decrement(ref _inFlight);
            return $"u-{target.Name}";
        }

        public System.Collections.Concurrent.ConcurrentBag<string> Lists { get; } = [];

        public Task<IReadOnlyList<(string Name, string Uid)>> MatchingAsync(RouteTarget target, CancellationToken ct)
        {
            Lists.Add($"{target.Kind}/{target.Namespace}/{target.Selector}");
            return Task.FromResult<IReadOnlyList<(string Name, string Uid)>>([]);
        }
    }
}
