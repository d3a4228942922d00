using Azure.Data.Tables;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Functions.Tests.Relay;

public class RelayCheckpointStoreTests
{
    private static readonly RelayKind Machines = new("cluster.x-k8s.io", "v1beta2", "machines", "Machine");

    [Fact]
    public async Task Checkpoints_and_known_objects_survive_a_reload_and_deletions_remove_rows()
    {
        var table = new TableClient(await TestApp.StorageAsync(), TestNames.Unique("Relay"));
        var store = new RelayCheckpointStore(table, "mgmt");
        var known = await store.LoadAsync(Machines, default);
        known.ResourceVersion.ShouldBeNull();

        var many = Enumerable.Range(0, 150).Select(i => ($"u{i}", (KnownObject?)new KnownObject("ns", $"m{i}", $"{i}"))).ToList();
        await store.SaveAsync(Machines, known, many, "150", default);
        await store.SaveAsync(Machines, known, [("u0", null), ("u1", new KnownObject("ns", "m1", "151")), ("never-seen", null)], "151", default);

        var reloaded = await new RelayCheckpointStore(table, "mgmt").LoadAsync(Machines, default);
        reloaded.ResourceVersion.ShouldBe("151");
        reloaded.Objects.Count.ShouldBe(149);
        reloaded.Objects.ContainsKey("u0").ShouldBeFalse();
        reloaded.Objects["u1"].ResourceVersion.ShouldBe("151");
        (await new RelayCheckpointStore(table, "other").LoadAsync(Machines, default)).Objects.ShouldBeEmpty();
    }
}
