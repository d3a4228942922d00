namespace ServerlessCapi.Api.Tests;

public class HelpersTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("2s", 2_000)]
    [InlineData("500ms", 500)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0", 0)]
    [InlineData("-2s", -2_000)]
    public void Go_durations_parse_to_time_spans(string text, int milliseconds)
    {
        GoDuration.Parse(text).ShouldBe(TimeSpan.FromMilliseconds(milliseconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("s")]
    public void Invalid_go_durations_are_rejected(string text)
    {
        GoDuration.TryParse(text, out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData(90_000)]
    [InlineData(2_000)]
    [InlineData(250)]
    [InlineData(3_723_000)]
    public void Formatted_go_durations_parse_back(int milliseconds)
    {
        var span = TimeSpan.FromMilliseconds(milliseconds);

        GoDuration.Parse(GoDuration.Format(span)).ShouldBe(span);
    }

    [Fact]
    public void Label_selector_matches_labels_and_expressions()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new() { [CapiLabels.ClusterName] = "demo" },
            MatchExpressions =
            [
                new() { Key = CapiLabels.ControlPlane, Operator = LabelSelectorRequirement.DoesNotExist },
                new() { Key = "tier", Operator = LabelSelectorRequirement.In, Values = ["web", "api"] },
            ],
        };

        selector.Matches(new Dictionary<string, string> { [CapiLabels.ClusterName] = "demo", ["tier"] = "web" }).ShouldBeTrue();
        selector.Matches(new Dictionary<string, string> { [CapiLabels.ClusterName] = "other", ["tier"] = "web" }).ShouldBeFalse();
        selector.Matches(new Dictionary<string, string> { [CapiLabels.ClusterName] = "demo", ["tier"] = "db" }).ShouldBeFalse();
        selector.Matches(new Dictionary<string, string> { [CapiLabels.ClusterName] = "demo", ["tier"] = "web", [CapiLabels.ControlPlane] = "" }).ShouldBeFalse();
        selector.ToString().ShouldBe("cluster.x-k8s.io/cluster-name=demo,!cluster.x-k8s.io/control-plane,tier in (web,api)");
        new LabelSelector().Matches(null).ShouldBeTrue();
    }

    [Fact]
    public void Long_names_become_the_same_hashed_label_value_as_in_cluster_api()
    {
        var longName = string.Concat(Enumerable.Repeat("machineSetName", 12));

        // Expected value from Cluster API's own test of its label formatting.
        LabelValues.Format(longName).ShouldBe("hash_FR_ghQ_z");
        LabelValues.Format("machineSetName").ShouldBe("machineSetName");
        LabelValues.Matches(longName, "hash_FR_ghQ_z").ShouldBeTrue();
        LabelValues.IsValid(LabelValues.Format(longName)).ShouldBeTrue();
    }

    [Fact]
    public void Hook_annotations_are_found_by_prefix()
    {
        var annotations = new Dictionary<string, string> { [CapiAnnotations.PreDrainDeleteHookPrefix + "/backup"] = "owner" };

        CapiAnnotations.HasHook(annotations, CapiAnnotations.PreDrainDeleteHookPrefix).ShouldBeTrue();
        CapiAnnotations.HasHook(annotations, CapiAnnotations.PreTerminateDeleteHookPrefix).ShouldBeFalse();
        CapiAnnotations.HasHook(null, CapiAnnotations.PreDrainDeleteHookPrefix).ShouldBeFalse();
    }
}

public class ReferenceAndPauseTests
{
    [Fact]
    public void A_reference_to_an_object_names_its_group_kind_and_name()
    {
        var devMachine = new DevMachine { Metadata = new() { Name = "dm-1" } };

        var reference = ContractVersionedObjectReference.To(devMachine);

        reference.ApiGroup.ShouldBe(CapiGroups.Infrastructure);
        reference.Kind.ShouldBe(DevMachine.KubeKind);
        reference.Name.ShouldBe("dm-1");
        reference.RefersTo(devMachine).ShouldBeTrue();
        reference.RefersTo(new DevMachine { Metadata = new() { Name = "dm-2" } }).ShouldBeFalse();
        ContractVersionedObjectReference.GroupOf("v1").ShouldBe("");
    }

    [Fact]
    public void Objects_are_paused_by_their_cluster_or_by_annotation()
    {
        var machine = new Machine { Metadata = new() { Name = "m" } };
        var cluster = new Cluster { Spec = new() { Paused = true } };

        Pause.IsPaused(null, machine).ShouldBeFalse();
        Pause.IsPaused(cluster, machine).ShouldBeTrue();
        cluster.Spec.Paused = false;
        Pause.IsPaused(cluster, machine).ShouldBeFalse();
        machine.Metadata.Annotations = new Dictionary<string, string> { [CapiAnnotations.Paused] = "" };
        Pause.IsPaused(cluster, machine).ShouldBeTrue();
    }
}
