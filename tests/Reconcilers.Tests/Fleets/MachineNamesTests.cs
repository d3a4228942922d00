using ServerlessCapi.Reconcilers.MachineSets;

namespace ServerlessCapi.FleetTests;

public class MachineNamesTests
{
    [Fact]
    public void Names_are_deterministic_per_set_and_index()
    {
        MachineNames.For("workers", "uid-1", "c1", 7).ShouldBe(MachineNames.For("workers", "uid-1", "c1", 7));
        MachineNames.For("workers", "uid-1", "c1", 7).ShouldNotBe(MachineNames.For("workers", "uid-2", "c1", 7));
    }

    [Fact]
    public void Names_have_the_set_name_and_a_five_character_suffix()
    {
        var name = MachineNames.For("workers", "uid-1", "c1", 0);

        name.ShouldStartWith("workers-");
        name.Length.ShouldBe("workers-".Length + 5);
        name["workers-".Length..].ShouldAllBe(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
    }

    [Fact]
    public void Distinct_indexes_never_collide_within_a_set()
    {
        var suffixes = Enumerable.Range(0, 20_000).Select(i => MachineNames.Suffix("4a8c1f7e-0c2b-4f52-9d0e-6f1f5b8e2a31", i)).ToList();

        suffixes.Distinct().Count().ShouldBe(suffixes.Count);
    }

    [Fact]
    public void Long_set_names_are_trimmed_to_a_dns_label_keeping_the_suffix()
    {
        var set = new string('a', 70);

        var name = MachineNames.For(set, "uid", "c1", 3);

        name.Length.ShouldBe(63);
        name.ShouldEndWith(MachineNames.Suffix("uid", 3));
    }

    [Fact]
    public void The_naming_template_can_use_the_cluster_name()
    {
        var name = MachineNames.For("workers", "uid", "prod", 1, "{{ .cluster.name }}-{{ .machineSet.name }}-{{ .random }}-w");

        name.ShouldBe($"prod-workers-{MachineNames.Suffix("uid", 1)}-w");
    }

    [Fact]
    public void A_template_without_the_random_part_is_rejected()
    {
        Should.Throw<ArgumentException>(() => MachineNames.For("workers", "uid", "c1", 1, "{{ .machineSet.name }}-fixed"));
    }

    [Fact]
    public void The_next_index_is_read_from_the_set_annotation()
    {
        MachineNames.NextIndex(null).ShouldBe(0);
        MachineNames.NextIndex(new Dictionary<string, string> { [MachineNames.NextIndexAnnotation] = "12" }).ShouldBe(12);
        MachineNames.NextIndex(new Dictionary<string, string> { [MachineNames.NextIndexAnnotation] = "junk" }).ShouldBe(0);
    }
}
