using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Tests.Framework;

public class ConditionMergeTests
{
    private static Condition C(string type, string status, string reason = "R", string message = "") =>
        new() { Type = type, Status = status, Reason = reason, Message = message };

    private static readonly MergeOptions Options = new() { IssueReason = "NotReady", UnknownReason = "ReadyUnknown", InfoReason = "Ready" };

    [Fact]
    public void Issues_win_over_unknowns_and_both_are_listed_in_order()
    {
        var summary = ConditionMerge.Summary("Ready", [C("B", "Unknown", message: "not sure"), C("A", "False", message: "broken"), C("C", "True")], ["A", "B", "C"], Options);

        summary.Status.ShouldBe("False");
        summary.Reason.ShouldBe("NotReady");
        summary.Message.ShouldBe("* A: broken\n* B: not sure");
    }

    [Fact]
    public void Missing_conditions_count_as_unknown_unless_ignored()
    {
        ConditionMerge.Summary("Ready", [C("A", "True")], ["A", "B"], Options).ShouldSatisfyAllConditions(
            s => s.Status.ShouldBe("Unknown"), s => s.Message.ShouldBe("* B: Condition not yet reported"));
        ConditionMerge.Summary("Ready", [C("A", "True")], ["A", "B"], Options, ignoreIfMissing: new HashSet<string> { "B" })
            .Status.ShouldBe("True");
    }

    [Fact]
    public void Negative_polarity_makes_True_the_issue_and_a_message_without_text_shows_the_reason()
    {
        var options = Options with { NegativePolarity = new HashSet<string> { "Deleting" } };

        var summary = ConditionMerge.Summary("Ready", [C("Deleting", "True", "DrainingNode"), C("A", "True")], ["Deleting", "A"], options);

        summary.Status.ShouldBe("False");
        summary.Message.ShouldBe("* Deleting: DrainingNode");
    }

    [Fact]
    public void Aggregates_group_owners_by_message_and_count_what_does_not_fit()
    {
        var sources = Enumerable.Range(1, 6)
            .Select(i => new OwnedCondition("Machine", $"m{i}", C("Ready", "False", message: i <= 4 ? "same" : $"other {i}")))
            .Append(new OwnedCondition("Machine", "cp", C("Ready", "False", message: "control plane"), IsControlPlaneMachine: true))
            .ToList();

        var aggregate = ConditionMerge.Aggregate("MachinesReady", sources, Options);

        aggregate.Status.ShouldBe("False");
        aggregate.Message.ShouldBe("* Machine cp: control plane\n* Machines m1, m2, m3, ... (1 more): same\n* Machine m5: other 5\nAnd 1 Machine with other issues");
    }

    [Fact]
    public void An_all_good_aggregate_is_true_and_quiet()
    {
        var aggregate = ConditionMerge.Aggregate("MachinesReady", [new OwnedCondition("Machine", "m1", C("Ready", "True"))], Options);

        aggregate.Status.ShouldBe("True");
        aggregate.Reason.ShouldBe("Ready");
        aggregate.Message.ShouldBe("");
    }
}
