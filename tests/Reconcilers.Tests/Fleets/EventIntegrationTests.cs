using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.FleetTests.Harness;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Testing;
using Xunit.Abstractions;

namespace ServerlessCapi.FleetTests;

/// <summary>The Kubernetes Events the reconcilers record, read the way users read them: core v1 lists, field selectors
/// as kubectl describe sends them, and the real kubectl.</summary>
public sealed class EventIntegrationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), TestNames.Unique("events"));
    private FleetEnvironment _env = null!;
    private KubectlCli _kubectl = null!;

    public async Task InitializeAsync()
    {
        _env = await FleetEnvironment.StartAsync(output);
        Directory.CreateDirectory(_dir);
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        _env.Server.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlCli(kubeconfig, Path.Combine(_dir, "cache"));
    }

    public async Task DisposeAsync()
    {
        await _env.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>The Events on one object, through core v1 with the selector kubectl describe sends.</summary>
    private async Task<List<JsonObject>> EventsOnAsync(string kind, string name)
    {
        var selector = Uri.EscapeDataString($"involvedObject.kind={kind},involvedObject.name={name},involvedObject.namespace={_env.Namespace}");
        var list = await _env.Kube.SendAsync<JsonObject>(HttpMethod.Get, $"/api/v1/namespaces/{_env.Namespace}/events?fieldSelector={selector}", null, null);
        return (list!["items"] as JsonArray)!.OfType<JsonObject>().ToList();
    }

    private static string Text(JsonNode? node, string field) => node?[field]?.GetValue<string>() ?? "";

    private async Task ScaleAsync(string resource, string name, int replicas)
    {
        var path = $"{CapiResources.For(CapiGroups.Core, resource).CollectionPath(_env.Namespace)}/{name}/scale";
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        await _env.Kube.SendAsync<JsonObject>(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json");
    }

    [Fact]
    public async Task A_MachineSet_scale_up_leaves_a_SuccessfulCreate_Event_per_Machine_on_the_set()
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        var ms = await _env.Kube.CreateAsync(new MachineSet
        {
            Metadata = new V1ObjectMeta { Name = "workers", NamespaceProperty = _env.Namespace },
            Spec = new MachineSetSpec { ClusterName = "c1", Replicas = 2, Template = FleetEnvironment.Template("c1", "v1.33.0", "workers") },
        });
        await ScaleAsync(MachineSet.KubeKind, "workers", 4);
        await _env.WaitAsync(async () => (await _env.MachinesAsync()).Count == 4, Timeout, "4 Machines");
        var machines = (await _env.MachinesAsync()).Select(m => m.Metadata.Name).Order(StringComparer.Ordinal).ToList();

        List<JsonObject> created = [];
        await _env.WaitAsync(async () =>
        {
            created = (await EventsOnAsync(MachineSet.KubeKind, "workers")).Where(e => Text(e, "reason") == "SuccessfulCreate").ToList();
            return created.Count == 4;
        }, Timeout, "a SuccessfulCreate Event per Machine");
        created.Select(e => Text(e, "message")).Order(StringComparer.Ordinal).ShouldBe(machines.Select(m => $"Created Machine \"{m}\""));
        created.ShouldAllBe(e => Text(e, "type") == "Normal" && Text(e, "reportingComponent") == "machineset-controller"
                                 && Text(e, "action") == "Create" && Text(e["involvedObject"], "uid") == ms.Metadata.Uid
                                 && Text(e["involvedObject"], "apiVersion") == CapiGroups.CoreApiVersion && e["series"] == null);
        _env.Events.Counts.Written.ShouldBeGreaterThanOrEqualTo(4);
        _env.Events.Counts.Failed.ShouldBe(0);
    }

    [KubectlFact]
    public async Task Kubectl_get_events_shows_the_reconcilers_Events_with_their_reason()
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        await _env.Kube.CreateAsync(new MachineSet
        {
            Metadata = new V1ObjectMeta { Name = "workers", NamespaceProperty = _env.Namespace },
            Spec = new MachineSetSpec { ClusterName = "c1", Replicas = 2, Template = FleetEnvironment.Template("c1", "v1.33.0", "workers") },
        });
        await _env.WaitAsync(async () => (await EventsOnAsync(MachineSet.KubeKind, "workers")).Count(e => Text(e, "reason") == "SuccessfulCreate") == 2,
            Timeout, "two SuccessfulCreate Events");

        var table = await _kubectl.OkAsync("get", "events", "-n", _env.Namespace);
        output.WriteLine(table);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]);
        var rows = lines.Where(l => l.Contains("SuccessfulCreate", StringComparison.Ordinal)).ToList();
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.Contains("machineset/workers", StringComparison.Ordinal) && r.Contains("Normal", StringComparison.Ordinal)
                              && r.Contains("Created Machine", StringComparison.Ordinal) && !r.Contains("<unknown>", StringComparison.Ordinal));

        var selected = await _kubectl.OkAsync("get", "events", "-n", _env.Namespace, "--field-selector", "reason=SuccessfulCreate,involvedObject.kind=MachineSet", "-o", "name");
        selected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2);

        var events = await _kubectl.OkAsync("events", "-n", _env.Namespace, "--for", "machineset/workers");
        output.WriteLine(events);
        events.Split('\n').Count(l => l.Contains("SuccessfulCreate", StringComparison.Ordinal) && l.Contains("MachineSet/workers", StringComparison.Ordinal)).ShouldBe(2);

        var describe = await _kubectl.OkAsync("describe", "machinesets.cluster.x-k8s.io", "workers", "-n", _env.Namespace);
        output.WriteLine(describe[describe.IndexOf("Events:", StringComparison.Ordinal)..]);
        describe.ShouldContain("Events:");
        describe.ShouldMatch(@"Normal\s+SuccessfulCreate\s+.*machineset-controller\s+Created Machine");
    }

    [KubectlFact]
    public async Task A_repeated_scale_counts_into_the_series_of_one_Event()
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        await _env.Kube.CreateAsync(new MachineDeployment
        {
            Metadata = new V1ObjectMeta { Name = "md", NamespaceProperty = _env.Namespace },
            Spec = new MachineDeploymentSpec { ClusterName = "c1", Replicas = 1, Template = FleetEnvironment.Template("c1", "v1.33.0", "workers") },
        });
        await _env.WaitForRolledOutAsync("md", 1, "v1.33.0", Timeout);
        var set = (await _env.Kube.ListAsync<MachineSet>(_env.Namespace)).Single().Metadata.Name;

        // 1 -> 2, 2 -> 1, 1 -> 2: the same "Scaled up" occurrence twice.
        foreach (var replicas in new[] { 2, 1, 2 })
        {
            await ScaleAsync(MachineDeployment.KubeKind, "md", replicas);
            await _env.WaitForRolledOutAsync("md", replicas, "v1.33.0", Timeout);
        }

        List<JsonObject> scaled = [];
        await _env.WaitAsync(async () =>
        {
            scaled = (await EventsOnAsync(MachineDeployment.KubeKind, "md")).Where(e => Text(e, "reason") == "SuccessfulScale").ToList();
            return scaled.Any(e => e["series"]?["count"]?.GetValue<long>() == 2);
        }, Timeout, "the scale-up Event's series to count 2");
        var up = scaled.Where(e => Text(e, "message") == $"Scaled up MachineSet {set}: 1 -> 2").ShouldHaveSingleItem();
        up["series"]!["count"]!.GetValue<long>().ShouldBe(2);
        scaled.Where(e => Text(e, "message") == $"Scaled down MachineSet {set}: 2 -> 1").ShouldHaveSingleItem()["series"].ShouldBeNull();
        (await EventsOnAsync(MachineDeployment.KubeKind, "md")).ShouldContain(e => Text(e, "reason") == "SuccessfulCreate"
            && Text(e, "message") == $"Created MachineSet {_env.Namespace}/{set} with 1 replicas");

        var wide = await _kubectl.OkAsync("get", "events", "-n", _env.Namespace, "-o", "wide", "--field-selector", "involvedObject.kind=MachineDeployment,reason=SuccessfulScale");
        output.WriteLine(wide);
        var row = wide.Split('\n').Single(l => l.Contains("Scaled up", StringComparison.Ordinal));
        row.ShouldMatch(@"Scaled up MachineSet \S+: 1 -> 2\s+\S+\s+2\s+md\.");
    }
}
