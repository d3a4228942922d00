using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Local;

namespace ServerlessCapi.Integration.Tests;

public sealed class LocalEndpointsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scapi-endpoints-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int[] Ports(LocalEndpoints e) =>
        [e.BlobPort, e.QueuePort, e.TablePort, e.EngineQueuePort, e.ApiServerPort, e.ProviderPort, .. e.AppPorts];

    [Fact]
    public void The_engine_gets_a_queue_service_of_its_own_and_shares_the_blobs_and_tables()
    {
        var e = LocalEnvironment.LoadOrCreateEndpoints(new LocalEnvironmentOptions(_dir, Instances: 2));

        Ports(e).Distinct().Count().ShouldBe(8);
        e.EngineConnectionString.ShouldContain($"QueueEndpoint=http://127.0.0.1:{e.EngineQueuePort}/");
        e.EngineConnectionString.ShouldContain($"TableEndpoint=http://127.0.0.1:{e.TablePort}/");
        e.EngineConnectionString.ShouldContain($"BlobEndpoint=http://127.0.0.1:{e.BlobPort}/");
        e.StorageConnectionString.ShouldContain($"QueueEndpoint=http://127.0.0.1:{e.QueuePort}/");
        LocalEnvironment.LoadOrCreateEndpoints(new LocalEnvironmentOptions(_dir, Instances: 2)).ShouldBeEquivalentTo(e);
    }

    [Fact]
    public void A_state_dir_saved_before_the_engine_had_its_own_queues_keeps_its_ports_and_keys_and_gains_one_port()
    {
        var file = Path.Combine(_dir, "endpoints.json");
        var old = new JsonObject
        {
            ["BlobPort"] = 41001, ["QueuePort"] = 41002, ["TablePort"] = 41003, ["ApiServerPort"] = 41004, ["ProviderPort"] = 41005,
            ["AppPorts"] = new JsonArray(41006), ["AdminKey"] = "admin", ["CloudKey"] = "cloud", ["WorkloadToken"] = "token",
        };
        File.WriteAllText(file, old.ToJsonString());

        var e = LocalEnvironment.LoadOrCreateEndpoints(new LocalEnvironmentOptions(_dir));

        (e.BlobPort, e.QueuePort, e.TablePort, e.ApiServerPort, e.ProviderPort).ShouldBe((41001, 41002, 41003, 41004, 41005));
        e.AppPorts.ShouldBe([41006]);
        (e.AdminKey, e.CloudKey, e.WorkloadToken).ShouldBe(("admin", "cloud", "token"));
        e.EngineQueuePort.ShouldBeGreaterThan(0);
        Ports(e).Distinct().Count().ShouldBe(7);
        JsonSerializer.Deserialize<LocalEndpoints>(File.ReadAllText(file))!.EngineQueuePort.ShouldBe(e.EngineQueuePort);
    }
}
