using ServerlessCapi.Providers.InMemory;
using ServerlessCapi.Providers.InMemory.Cloud;

namespace ServerlessCapi.Reconcilers.Tests.Providers.InMemory;

public class VmTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CreateVmRequest Request(string role = VmRoles.Worker, double seconds = 0, double jitter = 0) => new()
    {
        ClusterNamespace = "ns",
        ClusterName = "c",
        MachineName = "m",
        Role = role,
        Vm = new StartupTime(TimeSpan.FromSeconds(seconds), jitter),
        Node = new StartupTime(TimeSpan.FromSeconds(seconds), jitter),
        Etcd = new StartupTime(TimeSpan.FromSeconds(seconds), jitter),
        ApiServer = new StartupTime(TimeSpan.FromSeconds(seconds), jitter),
    };

    [Fact]
    public void Zero_startup_durations_make_a_vm_running_at_creation()
    {
        var t = VmTimeline.Plan("id", T0, Request(VmRoles.ControlPlane));

        t.ReadyAt.ShouldBe(T0);
        t.StateAt(T0, failBoot: false, deleting: false).ShouldBe(VmState.Running);
        t.NodeDue(T0, failBoot: false).ShouldBeTrue();
    }

    [Fact]
    public void A_worker_is_provisioning_until_vm_and_node_are_up()
    {
        var t = VmTimeline.Plan("id", T0, Request(seconds: 10));

        t.VmReadyAt.ShouldBe(T0.AddSeconds(10));
        t.NodeReadyAt.ShouldBe(T0.AddSeconds(20));
        t.EtcdReadyAt.ShouldBeNull();
        t.ReadyAt.ShouldBe(T0.AddSeconds(20));
        t.StateAt(T0.AddSeconds(19.9), false, false).ShouldBe(VmState.Provisioning);
        t.NodeDue(T0.AddSeconds(19.9), false).ShouldBeFalse();
        t.StateAt(T0.AddSeconds(20), false, false).ShouldBe(VmState.Running);
    }

    [Fact]
    public void A_control_plane_vm_waits_for_etcd_and_the_api_server_after_the_node()
    {
        var t = VmTimeline.Plan("id", T0, Request(VmRoles.ControlPlane, seconds: 5));

        t.NodeReadyAt.ShouldBe(T0.AddSeconds(10));
        t.EtcdReadyAt.ShouldBe(T0.AddSeconds(15));
        t.ApiServerReadyAt.ShouldBe(T0.AddSeconds(20));
        t.NodeDue(T0.AddSeconds(10), false).ShouldBeTrue();
        t.StateAt(T0.AddSeconds(15), false, false).ShouldBe(VmState.Provisioning);
        t.StateAt(T0.AddSeconds(20), false, false).ShouldBe(VmState.Running);
    }

    [Fact]
    public void Jitter_stays_within_its_fraction_and_is_the_same_for_the_same_id()
    {
        var durations = Enumerable.Range(0, 200)
            .Select(i => VmTimeline.Jittered($"vm-{i}", "vm", new StartupTime(TimeSpan.FromSeconds(10), 0.2)))
            .ToList();

        durations.ShouldAllBe(d => d >= TimeSpan.FromSeconds(8) && d <= TimeSpan.FromSeconds(12));
        durations.Distinct().Count().ShouldBeGreaterThan(100);
        VmTimeline.Jittered("vm-7", "vm", new StartupTime(TimeSpan.FromSeconds(10), 0.2)).ShouldBe(durations[7]);
    }

    [Fact]
    public void A_vm_that_fails_to_boot_fails_when_it_would_have_come_up_and_never_gets_a_node()
    {
        var t = VmTimeline.Plan("id", T0, Request(seconds: 3));

        t.StateAt(T0.AddSeconds(2), failBoot: true, deleting: false).ShouldBe(VmState.Provisioning);
        t.StateAt(T0.AddSeconds(3), failBoot: true, deleting: false).ShouldBe(VmState.Failed);
        t.NodeDue(T0.AddHours(1), failBoot: true).ShouldBeFalse();
    }

    [Fact]
    public void A_deleting_vm_reports_deleting_whatever_the_clock_says()
    {
        var t = VmTimeline.Plan("id", T0, Request(seconds: 3));

        t.StateAt(T0, false, deleting: true).ShouldBe(VmState.Deleting);
        t.StateAt(T0.AddHours(1), false, deleting: true).ShouldBe(VmState.Deleting);
    }

    [Fact]
    public void The_response_follows_the_clock_and_carries_stable_addresses()
    {
        var record = VmRecord.Create("uid-1", Request(seconds: 10), T0);

        var early = record.ToResponse(T0.AddSeconds(5));
        var late = record.ToResponse(T0.AddSeconds(25));

        early.State.ShouldBe(VmState.Provisioning);
        early.Vm.Ready.ShouldBeFalse();
        late.State.ShouldBe(VmState.Running);
        late.NodeReady.ShouldBeTrue();
        late.ProviderId.ShouldBe("in-memory://ns/c/m");
        late.Addresses.ShouldBe(early.Addresses);
        late.Addresses[0].Type.ShouldBe("InternalIP");
        late.Addresses[0].Address.ShouldStartWith("10.");
        late.Addresses[1].ShouldBe(new VmAddress("Hostname", "m"));
    }
}
