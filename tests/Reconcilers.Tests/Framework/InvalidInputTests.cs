using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Tests.Framework;

/// <summary>The checks the reconcilers make before acting on a spec admission may not have seen.</summary>
public class InvalidInputTests
{
    [Theory]
    [InlineData("v1.33.0")]
    [InlineData("1.33.0")]
    [InlineData("v1.34.0-rc.1+build.5")]
    public void Semantic_versions_pass(string version) => InvalidInput.Version("spec.version", version).ShouldBeNull();

    [Theory]
    [InlineData("banana")]
    [InlineData("vbanana")]
    [InlineData("v1.33")]
    [InlineData("")]
    [InlineData("v01.2.3")]
    public void Anything_else_is_an_invalid_version(string version) =>
        InvalidInput.Version("spec.version", version).ShouldNotBeNull().Reason.ShouldBe(InvalidInput.InvalidVersion);

    [Fact]
    public void Negative_replicas_are_refused_and_absent_or_zero_are_not()
    {
        InvalidInput.Replicas("spec.replicas", -1).ShouldNotBeNull().Reason.ShouldBe(InvalidInput.NegativeReplicas);
        InvalidInput.Replicas("spec.replicas", 0).ShouldBeNull();
        InvalidInput.Replicas("spec.replicas", null).ShouldBeNull();
    }

    [Fact]
    public void A_selector_must_match_the_template_labels()
    {
        var labels = new Dictionary<string, string> { ["pool"] = "a", [CapiLabels.ClusterName] = "c1" };
        InvalidInput.Selector("spec.selector", new LabelSelector { MatchLabels = new() { ["pool"] = "a" } }, labels).ShouldBeNull();
        InvalidInput.Selector("spec.selector", new LabelSelector(), labels).ShouldBeNull();
        InvalidInput.Selector("spec.selector", new LabelSelector { MatchLabels = new() { ["pool"] = "b" } }, labels)
            .ShouldNotBeNull().Reason.ShouldBe(InvalidInput.SelectorDoesNotMatchTemplate);
        InvalidInput.Selector("spec.selector", new LabelSelector
        {
            MatchExpressions = [new LabelSelectorRequirement { Key = "pool", Operator = LabelSelectorRequirement.NotIn, Values = ["a"] }],
        }, labels).ShouldNotBeNull();
    }

    [Fact]
    public void Reporting_sets_a_false_condition_with_the_reason_and_parks_the_object()
    {
        var status = new MachineSetStatus();
        var meta = new k8s.Models.V1ObjectMeta { Name = "ms", NamespaceProperty = "ns", Generation = 4 };
        var result = InvalidInput.Report(Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, "MachineSet", meta, status,
            new InputProblem(InvalidInput.NegativeReplicas, "spec.replicas is -1"), DateTimeOffset.UtcNow);

        result.TerminalReason.ShouldBe("NegativeReplicas: spec.replicas is -1");
        var condition = Conditions.Get(status, InvalidInput.ConditionType).ShouldNotBeNull();
        (condition.Status, condition.Reason, condition.ObservedGeneration).ShouldBe((ConditionStatus.False, InvalidInput.NegativeReplicas, 4L));
        InvalidInput.Clear(status);
        Conditions.Get(status, InvalidInput.ConditionType).ShouldBeNull();
    }
}
