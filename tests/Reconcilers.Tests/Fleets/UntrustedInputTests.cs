using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.FleetTests.Harness;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.MachineSets;
using Xunit.Abstractions;

namespace ServerlessCapi.FleetTests;

/// <summary>Input CAPI's webhooks would refuse, written straight to the embedded API server (which runs no webhooks
/// here; its CRD schemas accept all of it: a selector is any object, a version any short string) and reconciled by the
/// real workflows on the durable engine.</summary>
public sealed class UntrustedInputTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private FleetEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await FleetEnvironment.StartAsync(output);

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private static Dictionary<string, string> Pool(string value) => new() { ["pool"] = value };

    private static Condition? SpecValid(IConditionsStatus status) => Conditions.Get(status, InvalidInput.ConditionType);

    /// <summary>A ready cluster c1 and a MachineSet whose template carries <c>pool=a</c> and whose selector asks for
    /// <c>pool=<paramref name="selectorPool"/></c>.</summary>
    private async Task CreatePoolSetAsync(string name, int replicas, string selectorPool)
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        var template = FleetEnvironment.Template("c1", "v1.33.0", "workers");
        template.Metadata = new ObjectMeta { Labels = Pool("a") };
        await _env.Kube.CreateAsync(new MachineSet
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _env.Namespace },
            Spec = new MachineSetSpec { ClusterName = "c1", Replicas = replicas, Selector = new LabelSelector { MatchLabels = Pool(selectorPool) }, Template = template },
        });
    }

    [Fact]
    public async Task A_set_whose_machines_stop_matching_its_selector_keeps_exactly_its_replicas_and_reports_a_mismatched_selector()
    {
        await CreatePoolSetAsync("pool", replicas: 2, selectorPool: "a");
        await _env.WaitAsync(async () => (await _env.MachinesAsync()).Count(MachineFacts.IsAvailable) == 2, Timeout, "2 available Machines");

        // The Machines are relabelled out of the selector: counted by the selector they would be gone, and the set would
        // create two more at every look; it counts what it controls instead.
        foreach (var m in await _env.MachinesAsync())
            await _env.Kube.MergePatchAsync<Machine>(_env.Namespace, m.Metadata.Name, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["pool"] = "elsewhere" } } });
        // A scale to 3 is a change whose outcome is observable: one more Machine, not three.
        await _env.Kube.MergePatchAsync<MachineSet>(_env.Namespace, "pool", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 3 } });
        await _env.WaitAsync(async () =>
        {
            var ms = await _env.Kube.GetAsync<MachineSet>(_env.Namespace, "pool");
            return ms!.Status.ObservedGeneration == ms.Metadata.Generation && ms.Status.Replicas == 3 && (await _env.MachinesAsync()).Count(MachineFacts.IsAvailable) == 3;
        }, Timeout, "3 available Machines");
        (await _env.MachinesAsync()).Count.ShouldBe(3);
        // Every Machine the set ever created reserved a name index first: three in all, none made for the relabelled two
        // (the set puts the template's labels back on them, which would also hide a transient runaway in the count).
        var afterScale = (await _env.Kube.GetAsync<MachineSet>(_env.Namespace, "pool"))!;
        MachineNames.NextIndex(afterScale.Metadata.Annotations).ShouldBe(3);

        // Now the selector itself stops matching the template (the webhook refuses this; without it, it gets through).
        await _env.Kube.MergePatchAsync<MachineSet>(_env.Namespace, "pool", new JsonObject
        {
            ["spec"] = new JsonObject { ["replicas"] = 5, ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["pool"] = "b" } } },
        });
        var reported = await WaitForSpecInvalidAsync<MachineSet>("pool", InvalidInput.SelectorDoesNotMatchTemplate, ms => ms.Status);
        SpecValid(reported.Status)!.Message.ShouldContain("spec.selector");
        (await _env.MachinesAsync()).Count.ShouldBe(3, "no Machine is created while the selector does not match the template");
        reported.Spec.Replicas.ShouldBe(5);
    }

    [Fact]
    public async Task A_set_created_with_a_selector_that_never_matches_its_template_creates_no_machine()
    {
        await CreatePoolSetAsync("runaway", replicas: 3, selectorPool: "b");

        await WaitForSpecInvalidAsync<MachineSet>("runaway", InvalidInput.SelectorDoesNotMatchTemplate, ms => ms.Status);
        (await _env.MachinesAsync()).ShouldBeEmpty();
        (await _env.Kube.ListAsync<DevMachine>(_env.Namespace)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_deployment_at_version_banana_is_reported_and_does_not_roll_out()
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        await _env.Kube.CreateAsync(new MachineDeployment
        {
            Metadata = new V1ObjectMeta { Name = "md", NamespaceProperty = _env.Namespace },
            Spec = new MachineDeploymentSpec { ClusterName = "c1", Replicas = 2, Template = FleetEnvironment.Template("c1", "v1.33.0", "workers") },
        });
        await _env.WaitForRolledOutAsync("md", 2, "v1.33.0", Timeout);
        var setsBefore = (await _env.Kube.ListAsync<MachineSet>(_env.Namespace)).Select(s => s.Metadata.Name).ToList();

        await _env.Kube.MergePatchAsync<MachineDeployment>(_env.Namespace, "md", new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["version"] = "banana" } } },
        });
        var md = await WaitForSpecInvalidAsync<MachineDeployment>("md", InvalidInput.InvalidVersion, d => d.Status);
        SpecValid(md.Status)!.Message.ShouldContain("banana");
        md.Spec.Template.Spec.Version.ShouldBe("banana", "not defaulted to vbanana");
        (await _env.Kube.ListAsync<MachineSet>(_env.Namespace)).Select(s => s.Metadata.Name).ShouldBe(setsBefore);
        (await _env.MachinesAsync()).ShouldAllBe(m => m.Spec.Version == "v1.33.0");

        // Fixing the version clears the condition and the rollout proceeds.
        await _env.Kube.MergePatchAsync<MachineDeployment>(_env.Namespace, "md", new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["version"] = "v1.34.0" } } },
        });
        await _env.WaitForRolledOutAsync("md", 2, "v1.34.0", Timeout);
        SpecValid((await _env.Kube.GetAsync<MachineDeployment>(_env.Namespace, "md"))!.Status).ShouldBeNull();
    }

    private async Task<T> WaitForSpecInvalidAsync<T>(string name, string reason, Func<T, IConditionsStatus> status) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        T? found = null;
        await _env.WaitAsync(async () =>
        {
            found = await _env.Kube.GetAsync<T>(_env.Namespace, name);
            return found is not null && SpecValid(status(found)) is { Status: ConditionStatus.False } c && c.Reason == reason && c.ObservedGeneration == found.Metadata.Generation;
        }, Timeout, $"{typeof(T).Name} {name} reported {reason}");
        return found!;
    }
}
