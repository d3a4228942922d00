using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Messaging;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;
using ServerlessCapi.Reconcilers.Kinds;

namespace ServerlessCapi.Functions.Tests.Relay;

/// <summary>A kind of its own on an embedded API server, a queue of its own on Azurite, and relays for them.</summary>
public sealed class RelayHarness : IAsyncDisposable
{
    private readonly List<(CancellationTokenSource Stop, Task Run)> _running = [];
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private RelayHarness(EmbeddedApiServer.EmbeddedApiServer server, string storage, string prefix, RelayKind kind)
    {
        Server = server;
        Storage = storage;
        Prefix = prefix;
        Kind = kind;
        Client = server.CreateClient();
        Kube = KubeApi.FromKubeconfigText(server.KubeconfigYaml());
        Queue = new QueueClient(storage, prefix);
    }

    public EmbeddedApiServer.EmbeddedApiServer Server { get; }
    public string Storage { get; }
    public string Prefix { get; }
    public RelayKind Kind { get; }
    public Kubernetes Client { get; }
    public KubeApi Kube { get; }
    public QueueClient Queue { get; }
    public string Namespace => Prefix;

    /// <summary>Every event taken off the queue so far, in arrival order.</summary>
    public List<CloudEvent> Seen { get; } = [];

    public static async Task<RelayHarness> StartAsync(EmbeddedApiServer.EmbeddedApiServer? server = null)
    {
        server ??= await TestApiServer.SharedAsync();
        var prefix = TestNames.Unique("r");
        var kindName = "Gizmo" + prefix[1..].ToUpperInvariant();
        // The test kind carries a Machine's references and the relay reports the product's aspects.
        var kind = new RelayKind("relay.scapi.test", "v1", kindName.ToLowerInvariant() + "s", kindName) { References = ReconciledKinds.Machine.References };
        var harness = new RelayHarness(server, await TestApp.StorageAsync(), prefix, kind);
        await harness.Kube.SendAsync<JsonObject>(HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{kind.Plural}.{kind.Group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = kind.Group,
                ["scope"] = "Namespaced",
                ["names"] = new JsonObject { ["kind"] = kind.Kind, ["plural"] = kind.Plural, ["singular"] = kind.Kind.ToLowerInvariant() },
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = kind.Version,
                    ["served"] = true,
                    ["storage"] = true,
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                    },
                }),
            },
        }.ToJsonString(), "application/json");
        await harness.Kube.SendAsync<JsonObject>(HttpMethod.Post, "/api/v1/namespaces",
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = prefix } }.ToJsonString(),
            "application/json");
        await harness.Queue.CreateIfNotExistsAsync();
        return harness;
    }

    public RelayOptions Options(string? storagePrefix = null) => new()
    {
        ClusterName = "mgmt" + Prefix,
        Kinds = [Kind],
        Aspects = CapiAspects.All,
        Queue = Prefix,
        CheckpointTable = "Relay" + (storagePrefix ?? Prefix),
        LeaseContainer = storagePrefix ?? Prefix,
        CoalesceWindow = TimeSpan.FromMilliseconds(100),
        LeaseDuration = TimeSpan.FromSeconds(15),
        StandbyRetry = TimeSpan.FromMilliseconds(500),
    };

    public WatchRelay NewRelay(RelayOptions? options = null) =>
        new(Client, options ?? Options(), new TableClient(Storage, (options ?? Options()).CheckpointTable),
            new BlobContainerClient(Storage, (options ?? Options()).LeaseContainer), new QueueEventSink(Queue),
            new RelayMetrics(_services.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLoggerFactory.Instance);

    /// <summary>Runs a relay continuously until <see cref="StopAsync"/> (or disposal).</summary>
    public (WatchRelay Relay, CancellationTokenSource Stop) Run(RelayOptions? options = null)
    {
        var relay = NewRelay(options);
        var stop = new CancellationTokenSource();
        _running.Add((stop, Task.Run(() => relay.RunContinuousAsync(stop.Token))));
        return (relay, stop);
    }

    public async Task StopAsync(CancellationTokenSource stop)
    {
        await stop.CancelAsync();
        await _running.Single(r => r.Stop == stop).Run;
    }

    public async Task<(string Uid, string ResourceVersion)> CreateAsync(string name, int value = 0, JsonObject? spec = null)
    {
        var created = await Kube.SendAsync<JsonObject>(HttpMethod.Post, Path(null), new JsonObject
        {
            ["apiVersion"] = Kind.ApiVersion,
            ["kind"] = Kind.Kind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Namespace },
            ["spec"] = spec ?? new JsonObject { ["value"] = value },
        }.ToJsonString(), "application/json");
        return Meta(created!);
    }

    public async Task<(string Uid, string ResourceVersion)> UpdateAsync(string name, int value)
    {
        var patched = await Kube.SendAsync<JsonObject>(HttpMethod.Patch, Path(name),
            new JsonObject { ["spec"] = new JsonObject { ["value"] = value } }.ToJsonString(), "application/merge-patch+json");
        return Meta(patched!);
    }

    /// <summary>A merge patch of the whole object (the test kind has no status subresource).</summary>
    public async Task<(string Uid, string ResourceVersion)> PatchAsync(string name, JsonObject patch)
    {
        var patched = await Kube.SendAsync<JsonObject>(HttpMethod.Patch, Path(name), patch.ToJsonString(), "application/merge-patch+json");
        return Meta(patched!);
    }

    public Task DeleteAsync(string name) => Kube.SendAsync<JsonObject>(HttpMethod.Delete, Path(name), null, null);

    /// <summary>Takes everything currently on the queue into <see cref="Seen"/>.</summary>
    public async Task DrainAsync()
    {
        while (true)
        {
            var batch = (await Queue.ReceiveMessagesAsync(32, TimeSpan.FromSeconds(30))).Value;
            if (batch.Length == 0) return;
            foreach (var message in batch)
            {
                Seen.AddRange(ObjectEvents.ParseAll(message.MessageText));
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    public IEnumerable<(CloudEvent Event, ObjectEventData Data)> SeenFor(string name) =>
        Seen.Select(e => (e, ObjectEvents.DataOf(e))).Where(p => p.Item2.Name == name);

    /// <summary>Waits until an event for <paramref name="name"/> matching <paramref name="match"/> arrived.</summary>
    public Task WaitForEventAsync(string name, Func<ObjectEventData, bool> match, string what) =>
        WaitFor.ConditionAsync(async () =>
        {
            await DrainAsync();
            return SeenFor(name).Any(p => match(p.Data));
        }, TimeSpan.FromSeconds(40), what);

    public async ValueTask DisposeAsync()
    {
        foreach (var (stop, run) in _running)
        {
            await stop.CancelAsync();
            await run;
            stop.Dispose();
        }
        Client.Dispose();
        Kube.Dispose();
        await _services.DisposeAsync();
    }

    private string Path(string? name) =>
        $"/apis/{Kind.Group}/{Kind.Version}/namespaces/{Namespace}/{Kind.Plural}" + (name is null ? "" : "/" + name);

    private static (string, string) Meta(JsonObject obj) =>
        (obj["metadata"]!["uid"]!.GetValue<string>(), obj["metadata"]!["resourceVersion"]!.GetValue<string>());
}
