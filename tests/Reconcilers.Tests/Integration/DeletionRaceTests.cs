using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.DevMachine;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.KubeadmConfig;
using ServerlessCapi.Reconcilers.Tests.Providers.InMemory;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>A Machine deleted at the moment its infrastructure is being created: nothing outlives it. The providers'
/// reconcilers run step by step against the embedded API server (no admission webhooks) and the real in-memory cloud;
/// the deletion is made to land exactly between the DevMachine's finalizer write and its VM's creation.</summary>
public sealed class DeletionRaceTests : IAsyncLifetime
{
    private Harness _h = null!;
    private CloudHarness _cloud = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        _cloud = await CloudHarness.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _cloud.DisposeAsync();
        _h.Dispose();
    }

    /// <summary>Runs <see cref="Hook"/> once, right after the first request <see cref="When"/> picks was answered and
    /// before the reconcile that sent it goes on.</summary>
    private sealed class RaceAt(Func<HttpRequestMessage, string?, bool> when) : DelegatingHandler
    {
        public Func<Task>? Hook { get; set; }
        public bool Fired { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = await base.SendAsync(request, cancellationToken);
            if (!Fired && response.IsSuccessStatusCode && when(request, body) && Hook is { } hook)
            {
                Fired = true;
                await hook();
            }
            return response;
        }
    }

    /// <summary>The DevMachine reconciler's read of its Machine (the last look before it decides to create the VM).</summary>
    private static bool MachineRead(HttpRequestMessage r, string? body) =>
        r.Method == HttpMethod.Get && r.RequestUri!.AbsolutePath.EndsWith("/machines/m1", StringComparison.Ordinal);

    /// <summary>The DevMachine's finalizer reaching the server (the VM is created next).</summary>
    private static bool FinalizerWritten(HttpRequestMessage r, string? body) =>
        r.Method == HttpMethod.Patch && r.RequestUri!.AbsolutePath.EndsWith("/devmachines/m1", StringComparison.Ordinal)
        && body?.Contains(CapiFinalizers.DevMachine, StringComparison.Ordinal) == true;

    [Theory]
    [InlineData("after the Machine was read")]
    [InlineData("after the finalizer was written")]
    public async Task A_machine_deleted_while_its_vm_is_being_created_leaves_no_vm_devmachine_or_bootstrap_secret(string moment)
    {
        var ns = _h.Namespace;
        await _h.CreateClusterAsync("c1");
        var cloudClient = _cloud.Client!;
        await cloudClient.EnsureClusterAsync(ns, "c1");
        await CreateOwningMachineAsync("m1", withClusterLabel: true);
        var dev = (await _h.Kube.GetAsync<Api.DevMachine>(ns, "m1"))!;
        var config = (await _h.Kube.GetAsync<Api.KubeadmConfig>(ns, "m1"))!;

        var race = new RaceAt(moment.Contains("read", StringComparison.Ordinal) ? MachineRead : FinalizerWritten);
        using var reconcilerKube = new KubeApi(_h.Server.ClientConfig(), race);
        race.Hook = async () =>
        {
            // What the Machine's deletion does: the Machine is marked, its infrastructure and bootstrap config deleted.
            await _h.Kube.DeleteAsync<Api.Machine>(ns, "m1");
            await _h.Kube.DeleteAsync<Api.DevMachine>(ns, "m1");
            await _h.Kube.DeleteAsync<Api.KubeadmConfig>(ns, "m1");
        };
        var devDriver = new StepDriver(new DevMachineReconciler(reconcilerKube, cloudClient, NullLogger<DevMachineReconciler>.Instance),
            new ObjectKey(Api.DevMachine.KubeKind, ns, "m1", dev.Metadata.Uid));
        var configDriver = new StepDriver(new KubeadmConfigReconciler(reconcilerKube, NullLogger<KubeadmConfigReconciler>.Instance),
            new ObjectKey(Api.KubeadmConfig.KubeKind, ns, "m1", config.Metadata.Uid));

        try
        {
            await devDriver.StepAsync();
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            // The finalizer write met the deletion: the step fails having created nothing, and the host retries it.
        }
        race.Fired.ShouldBeTrue($"the deletion landed {moment}");
        await configDriver.StepAsync();

        // Each look is one step of the DevMachine's workflow (as its timer would run it) until the cloud let the VM go.
        await WaitFor.ConditionAsync(async () =>
        {
            await devDriver.StepAsync(timer: true);
            return await _h.Kube.GetAsync<Api.DevMachine>(ns, "m1") is null;
        }, TimeSpan.FromSeconds(30), "the DevMachine to go");
        (await cloudClient.GetVmAsync(dev.Metadata.Uid)).ShouldBeNull("the VM created in the race is deleted with its DevMachine");
        (await _cloud.NodeAsync(ns, "c1", "m1")).ShouldBeNull();
        (await _h.Kube.GetAsync<Api.KubeadmConfig>(ns, "m1")).ShouldBeNull();
        (await _h.Kube.ListAsync<V1Secret>(ns, $"{CapiLabels.ClusterName}=c1")).ShouldBeEmpty("no bootstrap data for a Machine being deleted");
    }

    [Fact]
    public async Task A_machine_already_being_deleted_gets_neither_a_vm_nor_bootstrap_data()
    {
        var ns = _h.Namespace;
        await _h.CreateClusterAsync("c1");
        var cloudClient = _cloud.Client!;
        await cloudClient.EnsureClusterAsync(ns, "c1");
        await CreateOwningMachineAsync("m2", withClusterLabel: false);
        await _h.Kube.DeleteAsync<Api.Machine>(ns, "m2");
        var dev = (await _h.Kube.GetAsync<Api.DevMachine>(ns, "m2"))!;
        var config = (await _h.Kube.GetAsync<Api.KubeadmConfig>(ns, "m2"))!;

        await new StepDriver(new DevMachineReconciler(_h.Kube, cloudClient, NullLogger<DevMachineReconciler>.Instance),
            new ObjectKey(Api.DevMachine.KubeKind, ns, "m2", dev.Metadata.Uid)).StepAsync();
        await new StepDriver(new KubeadmConfigReconciler(_h.Kube, NullLogger<KubeadmConfigReconciler>.Instance),
            new ObjectKey(Api.KubeadmConfig.KubeKind, ns, "m2", config.Metadata.Uid)).StepAsync();

        (await cloudClient.GetVmAsync(dev.Metadata.Uid)).ShouldBeNull();
        (await _h.Kube.GetAsync<Api.DevMachine>(ns, "m2"))!.Metadata.Finalizers.ShouldBeNull("no finalizer: nothing was created that needs cleaning up");
        var after = (await _h.Kube.GetAsync<Api.KubeadmConfig>(ns, "m2"))!;
        after.Status.DataSecretName.ShouldBeNull();
        (await _h.Kube.ListAsync<V1Secret>(ns)).ShouldBeEmpty();
    }

    /// <summary>A Machine of cluster c1 (with the Machine controller's finalizer, so a deletion only marks it, and its
    /// bootstrap data named) that owns the DevMachine and KubeadmConfig of its name, as the Machine controller leaves them.</summary>
    private async Task CreateOwningMachineAsync(string name, bool withClusterLabel)
    {
        var machine = await _h.CreateMachineAsync(name, "c1", edit: m =>
        {
            m.Metadata.Finalizers = [CapiFinalizers.Machine];
            m.Spec.Bootstrap.DataSecretName = $"{name}-data";
        });
        var metadata = new JsonObject
        {
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = CapiGroups.CoreApiVersion,
                ["kind"] = Api.Machine.KubeKind,
                ["name"] = name,
                ["uid"] = machine.Metadata.Uid,
                ["controller"] = true,
            }),
        };
        if (withClusterLabel) metadata["labels"] = new JsonObject { [CapiLabels.ClusterName] = "c1" };
        await _h.Kube.MergePatchAsync<Api.DevMachine>(_h.Namespace, name, new JsonObject { ["metadata"] = metadata.DeepClone() });
        await _h.Kube.MergePatchAsync<Api.KubeadmConfig>(_h.Namespace, name, new JsonObject { ["metadata"] = metadata.DeepClone() });
    }
}
