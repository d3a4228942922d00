using ServerlessCapi.Providers.ControlPlane;

namespace ServerlessCapi.Reconcilers.Tests.Providers.ControlPlane;

public class MachineNamesTests
{
    [Fact]
    public void Names_are_repeatable_per_uid_and_ordinal_and_distinct_across_ordinals()
    {
        var names = Enumerable.Range(0, 500).Select(i => MachineNames.For("cp", "uid-1", i)).ToList();

        names.Distinct().Count().ShouldBe(500);
        names.ShouldAllBe(n => n.StartsWith("cp-", StringComparison.Ordinal) && n.Length == 8);
        MachineNames.For("cp", "uid-1", 7).ShouldBe(names[7]);
        MachineNames.For("cp", "uid-2", 7).ShouldNotBe(names[7]);
    }

    [Fact]
    public void The_next_name_skips_names_still_in_use()
    {
        var taken = new HashSet<string> { MachineNames.For("cp", "u", 3), MachineNames.For("cp", "u", 4) };

        var (name, next) = MachineNames.Next("cp", "u", 3, taken);

        name.ShouldBe(MachineNames.For("cp", "u", 5));
        next.ShouldBe(6);
    }

    [Fact]
    public void A_naming_template_fills_the_control_plane_and_cluster_names_around_the_random_part()
    {
        var name = MachineNames.For("cp", "u", 0, "{{ .cluster.name }}-{{ .kubeadmControlPlane.name }}-{{ .random }}-x", "c1");
        var random = MachineNames.For("cp", "u", 0)["cp-".Length..];

        name.ShouldBe($"c1-cp-{random}-x");
        MachineNames.Next("cp", "u", 0, new HashSet<string>(), "{{ .cluster.name }}-{{ .random }}", "c1").Name.ShouldBe($"c1-{random}");
        MachineNames.For(new string('k', 80), "u", 0, "{{ .kubeadmControlPlane.name }}-{{ .random }}").ShouldEndWith(random);
        MachineNames.For(new string('k', 80), "u", 0, "{{ .kubeadmControlPlane.name }}-{{ .random }}").Length.ShouldBeLessThanOrEqualTo(63);
    }
}
