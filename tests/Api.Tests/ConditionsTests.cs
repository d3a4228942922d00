namespace ServerlessCapi.Api.Tests;

public class ConditionsTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 10, 0, 0, 750, DateTimeKind.Utc);

    private static Condition Cond(string status, string reason = "R", string message = "", long? generation = 1) =>
        new() { Type = MachineConditions.BootstrapConfigReady, Status = status, Reason = reason, Message = message, ObservedGeneration = generation };

    [Fact]
    public void A_new_condition_gets_now_truncated_to_whole_seconds()
    {
        var status = new MachineStatus();

        Conditions.Set(status, Cond(ConditionStatus.False, MachineReasons.WaitingForDataSecret), T0).ShouldBeTrue();

        var c = Conditions.Get(status, MachineConditions.BootstrapConfigReady)!;
        c.LastTransitionTime.ShouldBe(new DateTime(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc));
        c.LastTransitionTime.Kind.ShouldBe(DateTimeKind.Utc);
        c.Reason.ShouldBe(MachineReasons.WaitingForDataSecret);
        Manifests.ToJson(c)["lastTransitionTime"]!.GetValue<string>().ShouldBe("2026-03-01T10:00:00Z");
    }

    [Fact]
    public void Transition_time_stays_when_only_reason_or_message_change()
    {
        var status = new MachineStatus();
        Conditions.Set(status, Cond(ConditionStatus.False, "A"), T0);

        Conditions.Set(status, Cond(ConditionStatus.False, "B", "waiting", 2), T0.AddMinutes(5)).ShouldBeTrue();

        var c = status.Conditions!.Single();
        c.Reason.ShouldBe("B");
        c.Message.ShouldBe("waiting");
        c.ObservedGeneration.ShouldBe(2);
        c.LastTransitionTime.ShouldBe(Conditions.Truncate(T0));
    }

    [Fact]
    public void Transition_time_moves_when_status_changes()
    {
        var status = new MachineStatus();
        Conditions.Set(status, Cond(ConditionStatus.False), T0);

        Conditions.Set(status, Cond(ConditionStatus.True, MachineReasons.BootstrapConfigReady), T0.AddMinutes(5)).ShouldBeTrue();

        status.Conditions!.Single().LastTransitionTime.ShouldBe(Conditions.Truncate(T0.AddMinutes(5)));
        Conditions.IsTrue(status, MachineConditions.BootstrapConfigReady).ShouldBeTrue();
        Conditions.IsFalse(status, MachineConditions.BootstrapConfigReady).ShouldBeFalse();
    }

    [Fact]
    public void Setting_the_same_condition_again_reports_no_change()
    {
        var status = new MachineStatus();
        Conditions.Set(status, Cond(ConditionStatus.True), T0);

        Conditions.Set(status, Cond(ConditionStatus.True), T0.AddHours(1)).ShouldBeFalse();

        status.Conditions!.Single().LastTransitionTime.ShouldBe(Conditions.Truncate(T0));
    }

    [Fact]
    public void Conditions_of_other_types_are_left_alone_and_one_per_type_is_kept()
    {
        var status = new MachineStatus();
        Conditions.Set(status, Cond(ConditionStatus.True), T0);
        Conditions.Set(status, new Condition { Type = MachineConditions.InfrastructureReady, Status = ConditionStatus.False, Reason = "X" }, T0);
        Conditions.Set(status, Cond(ConditionStatus.False), T0.AddSeconds(3));

        status.Conditions!.Select(c => c.Type).ShouldBe([MachineConditions.BootstrapConfigReady, MachineConditions.InfrastructureReady]);
        Conditions.IsFalse(status, MachineConditions.InfrastructureReady).ShouldBeTrue();
    }

    [Fact]
    public void Remove_deletes_only_that_type_and_reports_whether_it_existed()
    {
        var status = new MachineStatus();
        Conditions.Set(status, Cond(ConditionStatus.True), T0);
        Conditions.Set(status, new Condition { Type = MachineConditions.Paused, Status = ConditionStatus.False, Reason = MachineReasons.NotPaused }, T0);

        Conditions.Remove(status, MachineConditions.BootstrapConfigReady).ShouldBeTrue();
        Conditions.Remove(status, MachineConditions.BootstrapConfigReady).ShouldBeFalse();

        status.Conditions!.Single().Type.ShouldBe(MachineConditions.Paused);
        Conditions.Get(status, MachineConditions.BootstrapConfigReady).ShouldBeNull();
        Conditions.IsUnknown(status, MachineConditions.BootstrapConfigReady).ShouldBeTrue();
    }

    [Fact]
    public void Reading_conditions_of_a_status_without_any_is_safe()
    {
        var status = new ClusterStatus();

        Conditions.IsTrue(status, ClusterConditions.Available).ShouldBeFalse();
        Conditions.Get(status, ClusterConditions.Available).ShouldBeNull();
        Conditions.Remove(status, ClusterConditions.Available).ShouldBeFalse();
        status.Conditions.ShouldBeNull();
    }

    [Fact]
    public void Local_times_are_converted_to_utc_before_truncation()
    {
        var local = new DateTime(2026, 3, 1, 12, 0, 0, 999, DateTimeKind.Local);

        var truncated = Conditions.Truncate(local);

        truncated.Kind.ShouldBe(DateTimeKind.Utc);
        truncated.ShouldBe(new DateTime(local.ToUniversalTime().Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, DateTimeKind.Utc));
    }
}
