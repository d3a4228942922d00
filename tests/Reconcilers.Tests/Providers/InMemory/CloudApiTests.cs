using System.Net;
using ServerlessCapi.Providers.InMemory;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Providers.InMemory;

public class CloudApiTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _ns = TestNames.Unique("ns");

    [Fact]
    public async Task Creating_a_vm_twice_returns_the_same_vm_and_deleting_twice_is_fine()
    {
        await using var cloud = await CloudHarness.StartAsync();
        var id = Guid.NewGuid().ToString();

        var first = await cloud.Client!.CreateVmAsync(id, CloudHarness.Vm(_ns, "m1", each: TimeSpan.FromMinutes(5)));
        var second = await cloud.Client.CreateVmAsync(id, CloudHarness.Vm(_ns, "m1", each: TimeSpan.FromMinutes(1)));

        second.CreatedAt.ShouldBe(first.CreatedAt);
        second.ReadyAt.ShouldBe(first.ReadyAt);
        second.State.ShouldBe(VmState.Provisioning);
        (await cloud.Client.GetVmAsync(id))!.ProviderId.ShouldBe($"in-memory://{_ns}/c1/m1");

        await cloud.Client.DeleteVmAsync(id);
        await cloud.Client.DeleteVmAsync(id);
        (await cloud.Client.GetVmAsync(id)).ShouldBeNull();
    }

    [Fact]
    public async Task Calls_without_the_key_are_refused_but_health_is_open()
    {
        await using var cloud = await CloudHarness.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = cloud.Server!.Url };
        using var wrong = new InMemoryCloudClient(cloud.Server.Url, "not-the-key");

        (await anonymous.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/v1/vms/x")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var e = await Should.ThrowAsync<InMemoryCloudException>(() => wrong.GetVmAsync("x"));
        e.Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_vm_with_zero_startup_is_running_at_once_and_its_ready_node_appears_in_the_workload_cluster()
    {
        await using var cloud = await CloudHarness.StartAsync();
        var id = Guid.NewGuid().ToString();

        var vm = await cloud.Client!.CreateVmAsync(id, CloudHarness.Vm(_ns, "cp-0", VmRoles.ControlPlane));

        vm.State.ShouldBe(VmState.Running);
        vm.ApiServer!.Ready.ShouldBeTrue();
        var node = await WaitFor.ValueAsync(() => cloud.NodeAsync(_ns, "c1", "cp-0"), Timeout, "the node");
        node.Spec.ProviderID.ShouldBe(vm.ProviderId);
        node.Status.NodeInfo.KubeletVersion.ShouldBe("v1.33.0");
        node.Status.Conditions.Single(c => c.Type == "Ready").Status.ShouldBe("True");
        node.Metadata.Labels.ShouldContainKey("node-role.kubernetes.io/control-plane");
        node.Status.Addresses.Select(a => a.Address).ShouldBe(vm.Addresses.Select(a => a.Address));
    }

    [Fact]
    public async Task State_follows_the_clock_and_the_node_appears_when_due_without_polling()
    {
        var clock = new ManualClock(T0);
        await using var cloud = await CloudHarness.StartAsync(clock);
        var id = Guid.NewGuid().ToString();

        var vm = await cloud.Client!.CreateVmAsync(id, CloudHarness.Vm(_ns, "w-0", each: TimeSpan.FromSeconds(30)));
        vm.State.ShouldBe(VmState.Provisioning);
        vm.ReadyAt.ShouldBe(T0.AddSeconds(60));

        clock.Advance(TimeSpan.FromSeconds(45));
        (await cloud.Client.GetVmAsync(id))!.State.ShouldBe(VmState.Provisioning);
        (await cloud.NodeAsync(_ns, "c1", "w-0")).ShouldBeNull();

        clock.Advance(TimeSpan.FromSeconds(15));
        await WaitFor.ValueAsync(() => cloud.NodeAsync(_ns, "c1", "w-0"), Timeout, "the background loop to create the node");
        (await cloud.Client.GetVmAsync(id))!.State.ShouldBe(VmState.Running);
    }

    [Fact]
    public async Task A_restarted_cloud_keeps_its_vms_and_finishes_their_nodes()
    {
        var clock = new ManualClock(T0);
        await using var cloud = await CloudHarness.StartAsync(clock);
        var id = Guid.NewGuid().ToString();
        var created = await cloud.Client!.CreateVmAsync(id, CloudHarness.Vm(_ns, "w-1", each: TimeSpan.FromSeconds(10)));

        await cloud.StopAsync();
        clock.Advance(TimeSpan.FromSeconds(30));
        await cloud.RestartAsync();

        await WaitFor.ValueAsync(() => cloud.NodeAsync(_ns, "c1", "w-1"), Timeout, "the resumed node");
        var vm = await cloud.Client!.GetVmAsync(id);
        vm!.CreatedAt.ShouldBe(created.CreatedAt);
        vm.ReadyAt.ShouldBe(created.ReadyAt);
        vm.State.ShouldBe(VmState.Running);
    }

    [Fact]
    public async Task Fail_boot_makes_the_vm_fail_without_a_node()
    {
        await using var cloud = await CloudHarness.StartAsync();
        var id = Guid.NewGuid().ToString();

        var vm = await cloud.Client!.CreateVmAsync(id, CloudHarness.Vm(_ns, "bad", failBoot: true));

        vm.State.ShouldBe(VmState.Failed);
        vm.FailureReason.ShouldBe("BootFailed");
        (await cloud.Client.GetVmAsync(id))!.State.ShouldBe(VmState.Failed);
        (await cloud.NodeAsync(_ns, "c1", "bad")).ShouldBeNull();
    }

    [Fact]
    public async Task Node_condition_injection_flips_the_node_and_delete_removes_it()
    {
        await using var cloud = await CloudHarness.StartAsync();
        var id = Guid.NewGuid().ToString();
        await cloud.Client!.CreateVmAsync(id, CloudHarness.Vm(_ns, "w-2"));
        await WaitFor.ValueAsync(() => cloud.NodeAsync(_ns, "c1", "w-2"), Timeout, "the node");

        var notReady = await cloud.Client.SetNodeReadyAsync(id, ready: false);

        notReady!.NodeReady.ShouldBeFalse();
        await WaitFor.ConditionAsync(
            async () => (await cloud.NodeAsync(_ns, "c1", "w-2"))?.Status.Conditions.Single(c => c.Type == "Ready").Status == "False",
            Timeout, "the node to turn NotReady");
        (await cloud.Client.SetNodeReadyAsync(Guid.NewGuid().ToString(), ready: false)).ShouldBeNull();

        await cloud.Client.DeleteVmAsync(id);
        (await cloud.NodeAsync(_ns, "c1", "w-2")).ShouldBeNull();
        (await cloud.Client.GetVmAsync(id)).ShouldBeNull();
    }

    [Fact]
    public async Task A_cluster_load_balancer_is_create_or_get_and_points_at_the_workload_api()
    {
        await using var cloud = await CloudHarness.StartAsync();

        var first = await cloud.Client!.EnsureClusterAsync(_ns, "c1");
        var again = await cloud.Client.EnsureClusterAsync(_ns, "c1");

        again.ShouldBe(first);
        first.Host.ShouldBe("127.0.0.1");
        first.Server.ShouldBe($"{cloud.ApiServer.Url}/clusters/{_ns}--c1");
        first.Port.ShouldBe(new Uri(cloud.ApiServer.Url).Port);

        await cloud.Client.CreateVmAsync(Guid.NewGuid().ToString(), CloudHarness.Vm(_ns, "w-3"));
        await WaitFor.ValueAsync(() => cloud.NodeAsync(_ns, "c1", "w-3"), Timeout, "the node");
        await cloud.Client.DeleteClusterAsync(_ns, "c1");
        await cloud.Client.DeleteClusterAsync(_ns, "c1");
        (await cloud.Client.GetClusterAsync(_ns, "c1")).ShouldBeNull();
        (await cloud.NodeAsync(_ns, "c1", "w-3")).ShouldBeNull();
    }
}
