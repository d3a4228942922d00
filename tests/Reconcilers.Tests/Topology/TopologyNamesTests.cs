using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Topology;

public sealed class TopologyNamesTests
{
    [Fact]
    public void Default_templates_render_cluster_topology_and_a_five_character_random_tail()
    {
        var name = TopologyNames.Render(TopologyNames.DefaultMachineDeploymentTemplate, "demo", machineDeploymentTopology: "md-0");
        name.ShouldStartWith("demo-md-0-");
        name.Length.ShouldBe("demo-md-0-".Length + 5);
        name[^5..].ShouldAllBe(c => "bcdfghjklmnpqrstvwxz2456789".Contains(c));
        TopologyNames.IsValidName(name).ShouldBeTrue();
    }

    [Fact]
    public void An_unknown_field_is_an_error_as_with_missingkey_error()
    {
        TopologyNames.TryRender("{{ .cluster.name }}-{{ .machinePool.topologyName }}", "demo", "md-0", null, out _, out var error).ShouldBeFalse();
        error.ShouldContain("machinePool.topologyName");
    }

    [Fact]
    public void Anything_but_field_references_is_refused()
    {
        TopologyNames.TryRender("{{ printf \"x\" }}", "demo", null, null, out _, out var error).ShouldBeFalse();
        error.ShouldContain("only field references");
    }

    [Fact]
    public void Names_longer_than_63_characters_are_cut_and_get_a_random_tail()
    {
        var name = TopologyNames.Render("{{ .cluster.name }}-fixed", new string('a', 70));
        name.Length.ShouldBe(63);
        name[..58].ShouldBe(new string('a', 58));
        TopologyNames.FromPrefix(new string('b', 70)).Length.ShouldBe(63);
    }
}
