using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Kinds;

namespace ServerlessCapi.Functions.Tests.Relay;

/// <summary>The relay against the embedded API server over real HTTP, with events on an Azurite queue.</summary>
public class WatchRelayTests
{
    [Fact]
    public async Task Create_modify_and_delete_become_events_with_the_object_key()
    {
        await using var h = await RelayHarness.StartAsync();
        var (relay, _) = h.Run();
        await WaitFor.ConditionAsync(() => relay.IsActive, TimeSpan.FromSeconds(30), "the relay active");

        var (uid, created) = await h.CreateAsync("a");
        await h.WaitForEventAsync("a", d => d.ResourceVersion == created, "the create");
        var (_, updated) = await h.UpdateAsync("a", 1);
        await h.WaitForEventAsync("a", d => d.ResourceVersion == updated, "the update");
        await h.DeleteAsync("a");
        await h.WaitForEventAsync("a", d => d.Deleted, "the deletion");

        var (e, data) = h.SeenFor("a").First(p => p.Data.ResourceVersion == created);
        e.Type.ShouldBe($"test.scapi.relay.{h.Kind.Kind.ToLowerInvariant()}.modified");
        e.Source.ShouldBe($"/managementclusters/mgmt{h.Prefix}");
        e.Subject.ShouldBe($"namespaces/{h.Namespace}/{h.Kind.Plural}/a");
        e.Id.ShouldBe($"{uid}:{created}");
        data.ApiVersion.ShouldBe(h.Kind.ApiVersion);
        data.Kind.ShouldBe(h.Kind.Kind);
        data.Namespace.ShouldBe(h.Namespace);
        data.Uid.ShouldBe(uid);
        data.Generation.ShouldBe(1);
        data.Deleting.ShouldBeFalse();
        var deletion = h.SeenFor("a").Single(p => p.Data.Deleted);
        deletion.Event.Type.ShouldEndWith(".deleted");
        deletion.Data.Deleting.ShouldBeTrue();
        h.SeenFor("a").Select(p => p.Event.Id).ShouldBeUnique();
    }

    [Fact]
    public async Task Each_event_says_what_the_change_touched_since_the_previous_relayed_version()
    {
        await using var h = await RelayHarness.StartAsync();
        var (relay, _) = h.Run();
        await WaitFor.ConditionAsync(() => relay.IsActive, TimeSpan.FromSeconds(30), "the relay active");
        static JsonObject Ready(string status, string time, string message = "") => new()
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = status,
                    ["reason"] = "R",
                    ["message"] = message,
                    ["lastTransitionTime"] = time,
                }),
            },
        };

        // The relay compares with the last version it saw in its watch; a version it met in its first list says
        // everything. Waiting for each event makes sure "retimed" onward are compared with a watched version.
        var (_, created) = await h.CreateAsync("a");
        await h.WaitForEventAsync("a", d => d.ResourceVersion == created, "the create");
        var (_, ready) = await h.PatchAsync("a", Ready("False", "2026-01-01T00:00:00Z"));
        await h.WaitForEventAsync("a", d => d.ResourceVersion == ready, "the first status");
        var (_, retimed) = await h.PatchAsync("a", Ready("False", "2026-01-01T00:00:05Z"));
        await h.WaitForEventAsync("a", d => d.ResourceVersion == retimed, "the timestamp change");
        var (_, readied) = await h.PatchAsync("a", Ready("True", "2026-01-01T00:00:05Z"));
        await h.WaitForEventAsync("a", d => d.ResourceVersion == readied, "the condition change");
        var (_, labelled) = await h.PatchAsync("a", new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["x"] = "y" } } });
        await h.WaitForEventAsync("a", d => d.ResourceVersion == labelled, "the label change");
        var (_, noted) = await h.PatchAsync("a", new JsonObject { ["status"] = new JsonObject { ["note"] = "n" } });
        await h.WaitForEventAsync("a", d => d.ResourceVersion == noted, "the other status change");

        ObjectEventData At(string rv) => h.SeenFor("a").Last(p => p.Data.ResourceVersion == rv).Data;
        if (h.SeenFor("a").Any(p => p.Data.ResourceVersion == created)) At(created).Changed.ShouldBeNull();
        At(retimed).Changed!.ShouldNotContain(ObjectAspects.Status);
        At(retimed).Changed!.ShouldNotContain(CapiAspects.Availability.Name);
        At(readied).Changed!.ShouldContain(ObjectAspects.Status);
        At(readied).Changed!.ShouldContain(CapiAspects.Availability.Name);
        At(labelled).Changed.ShouldBe([ObjectAspects.Meta]);
        At(noted).Changed!.ShouldContain(ObjectAspects.Status);
        At(noted).Changed!.ShouldNotContain(CapiAspects.Availability.Name);
    }

    [Fact]
    public async Task A_restarted_relay_resumes_from_its_checkpoint()
    {
        await using var h = await RelayHarness.StartAsync();
        var (first, stop) = h.Run();
        var (_, keptVersion) = await h.CreateAsync("kept");
        await h.CreateAsync("removed");
        await h.WaitForEventAsync("removed", _ => true, "both creates");
        await h.StopAsync(stop);
        first.IsActive.ShouldBeFalse();

        await h.DeleteAsync("removed");
        var (_, newVersion) = await h.CreateAsync("new");
        h.Run();
        await h.WaitForEventAsync("new", d => d.ResourceVersion == newVersion, "the object created while stopped");
        await h.WaitForEventAsync("removed", d => d.Deleted, "the deletion made while stopped");

        h.SeenFor("kept").ShouldHaveSingleItem().Data.ResourceVersion.ShouldBe(keptVersion);
    }

    [Fact]
    public async Task An_expired_checkpoint_relists_and_emits_changes_and_missed_deletions_only()
    {
        await using var server = await TestApiServer.StartAsync(new EmbeddedApiServerOptions { WatchWindow = 2 });
        await using var h = await RelayHarness.StartAsync(server);
        var (_, stop) = h.Run();
        var (_, unchangedVersion) = await h.CreateAsync("unchanged");
        await h.CreateAsync("removed");
        await h.CreateAsync("changed");
        await h.WaitForEventAsync("changed", _ => true, "the first creates");
        await h.StopAsync(stop);

        // More changes than the server keeps: resuming the watch from the checkpoint gets 410 Gone.
        await h.DeleteAsync("removed");
        var (_, changedVersion) = await h.UpdateAsync("changed", 5);
        var added = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            await h.CreateAsync($"added-{i}");
            added.Add($"added-{i}");
        }
        var before = h.Seen.Count;
        h.Run();
        await h.WaitForEventAsync("removed", d => d.Deleted, "the missed deletion");
        await WaitFor.ConditionAsync(async () =>
        {
            await h.DrainAsync();
            return added.All(a => h.SeenFor(a).Any()) && h.SeenFor("changed").Any(p => p.Data.ResourceVersion == changedVersion);
        }, TimeSpan.FromSeconds(40), "the relisted changes");

        var relisted = h.Seen.Skip(before).Select(e => ObjectEvents.DataOf(e)).ToList();
        relisted.Select(d => d.Name).Order().ShouldBe([.. added, "changed", "removed"]);
        h.SeenFor("unchanged").ShouldHaveSingleItem().Data.ResourceVersion.ShouldBe(unchangedVersion);
    }

    [Fact]
    public async Task A_killed_relay_is_replaced_by_the_standby_within_one_lease_period()
    {
        await using var h = await RelayHarness.StartAsync();
        var options = h.Options();
        options.ReleaseLeaseOnStop = false;
        var a = h.Run(options);
        var b = h.Run(options);
        await WaitFor.ConditionAsync(() => a.Relay.IsActive || b.Relay.IsActive, TimeSpan.FromSeconds(30), "one relay active");
        a.Relay.IsActive.ShouldNotBe(b.Relay.IsActive);
        var (active, standby) = a.Relay.IsActive ? (a, b) : (b, a);

        await h.CreateAsync("before");
        await h.WaitForEventAsync("before", _ => true, "the active relay's event");
        await h.StopAsync(active.Stop);

        await h.CreateAsync("after");
        await WaitFor.ConditionAsync(() => standby.Relay.IsActive, options.LeaseDuration + TimeSpan.FromSeconds(10), "the standby active");
        await h.WaitForEventAsync("after", _ => true, "the standby's event");
        h.SeenFor("before").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Duplicate_deliveries_of_one_object_version_carry_the_same_event_id()
    {
        await using var h = await RelayHarness.StartAsync();
        // Two relays with separate leases and checkpoints both relay the same change (as a replay after a crash would).
        var first = h.Run(h.Options("a" + h.Prefix));
        var second = h.Run(h.Options("b" + h.Prefix));
        await WaitFor.ConditionAsync(() => first.Relay.IsActive && second.Relay.IsActive, TimeSpan.FromSeconds(30), "both relays active");

        var (uid, version) = await h.CreateAsync("twice");
        await WaitFor.ConditionAsync(async () =>
        {
            await h.DrainAsync();
            return h.SeenFor("twice").Count() == 2;
        }, TimeSpan.FromSeconds(40), "two deliveries");

        h.SeenFor("twice").Select(p => p.Event.Id).Distinct().ShouldHaveSingleItem().ShouldBe($"{uid}:{version}");
    }

    [Fact]
    public async Task A_bounded_run_relays_then_checkpoints_and_stands_by_while_another_relay_is_active()
    {
        await using var h = await RelayHarness.StartAsync();
        await h.CreateAsync("early");

        (await h.NewRelay().RunBoundedAsync(TimeSpan.FromSeconds(2), CancellationToken.None)).ShouldBeTrue();
        await h.DrainAsync();
        h.SeenFor("early").ShouldHaveSingleItem();

        var (_, laterVersion) = await h.CreateAsync("later");
        (await h.NewRelay().RunBoundedAsync(TimeSpan.FromSeconds(2), CancellationToken.None)).ShouldBeTrue();
        await h.DrainAsync();
        h.SeenFor("later").ShouldHaveSingleItem().Data.ResourceVersion.ShouldBe(laterVersion);
        h.SeenFor("early").ShouldHaveSingleItem();

        var (continuous, _) = h.Run();
        await WaitFor.ConditionAsync(() => continuous.IsActive, TimeSpan.FromSeconds(30), "the continuous relay active");
        (await h.NewRelay().RunBoundedAsync(TimeSpan.FromSeconds(2), CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task Events_carry_the_spec_references_that_route_a_change_to_the_objects_waiting_on_it()
    {
        await using var h = await RelayHarness.StartAsync();
        var (relay, _) = h.Run();
        await WaitFor.ConditionAsync(() => relay.IsActive, TimeSpan.FromSeconds(30), "the relay active");

        JsonObject Ref(string kind, string name) => new() { ["apiGroup"] = "x.cluster.x-k8s.io", ["kind"] = kind, ["name"] = name };
        await h.CreateAsync("m", spec: new JsonObject
        {
            ["infrastructureRef"] = Ref("DevMachine", "m-infra"),
            ["bootstrap"] = new JsonObject { ["configRef"] = Ref("KubeadmConfig", "m-boot") },
            ["template"] = new JsonObject { ["spec"] = new JsonObject { ["infrastructureRef"] = Ref("DevMachineTemplate", "t") } },
        });
        await h.WaitForEventAsync("m", _ => true, "the create");

        h.SeenFor("m").First().Data.Refs.ShouldBe([new ObjectRef("DevMachine", "m-infra"), new ObjectRef("KubeadmConfig", "m-boot")], ignoreOrder: true);
    }
}
