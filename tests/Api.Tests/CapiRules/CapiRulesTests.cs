using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

/// <summary>The generated CRDs carry exactly the rules of CAPI's v1beta2 schemas (capi-rules.tsv) at the paths
/// the types model.</summary>
public class CapiRulesTests
{
    public static TheoryData<string> Kinds() => CrdTests.Kinds();

    private static JsonObject Schema(string kind) =>
        CrdGenerator.Generate(CapiKinds.All.Single(k => k.Kind == kind))["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_capi_rule_of_a_modelled_field_is_in_the_generated_crd(string kind)
    {
        var schema = Schema(kind);
        var rules = CapiRuleTable.All.Where(r => r.Kind == kind && r.Skipped is null).ToList();

        rules.ShouldNotBeEmpty();
        rules.Select(r => CapiRuleTable.Mismatch(schema, r)).OfType<string>().ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_generated_crd_has_no_rule_the_table_lacks(string kind)
    {
        var listed = CapiRuleTable.All.Where(r => r.Kind == kind && r.Skipped is null)
            .Select(r => (r.Path, r.Rule, Value: JsonNode.Parse(r.Value))).ToList();

        var extra = CapiRuleTable.RulesIn(Schema(kind))
            .Where(g => !listed.Any(l => l.Path == g.Path && l.Rule == g.Rule && JsonNode.DeepEquals(l.Value, g.Value)))
            .Select(g => $"{g.Path} {g.Rule} {g.Value.ToJsonString()}");

        extra.ShouldBeEmpty("a rule CAPI's schema does not have at that path (or the table misses it)");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Skipped_rules_are_on_fields_the_types_do_not_model(string kind)
    {
        var schema = Schema(kind);

        // Once a field is modelled its rules must move out of the skipped list and onto the types.
        CapiRuleTable.All.Where(r => r.Kind == kind && r.Skipped is not null && CapiRuleTable.Node(schema, r.Path) is not null)
            .Select(r => $"line {r.Line}: {r.Path} is modelled now").ShouldBeEmpty();
    }

    [Fact]
    public void The_table_covers_every_served_kind_and_every_rule_kind()
    {
        CapiRuleTable.All.Select(r => r.Kind).Distinct().Order().ShouldBe(CapiKinds.All.Select(k => k.Kind).Order());
        var covered = CapiRuleTable.All.Where(r => r.Skipped is null).Select(r => r.Rule).ToHashSet();
        foreach (var kind in (string[])["required", "minLength", "maxLength", "minimum", "maximum", "pattern", "format", "enum",
            "minItems", "maxItems", "minProperties", "x-kubernetes-validations", "x-kubernetes-list-type",
            "x-kubernetes-list-map-keys", "x-kubernetes-map-type"])
            covered.ShouldContain(kind);
    }

    [Fact]
    public void Key_rules_are_listed_as_capi_states_them()
    {
        string Value(string kind, string path, string rule) =>
            CapiRuleTable.All.Single(r => r.Kind == kind && r.Path == path && r.Rule == rule && r.Skipped is null).Value;

        Value("Machine", "spec.clusterName", "minLength").ShouldBe("1");
        Value("Machine", "spec.clusterName", "maxLength").ShouldBe("63");
        Value("Machine", "spec.taints", "x-kubernetes-list-map-keys").ShouldBe("""["key","effect"]""");
        Value("MachineHealthCheck", "spec.remediation.triggerIf.unhealthyInRange", "pattern").ShouldBe("""
            "^\\[[0-9]+-[0-9]+\\]$"
            """);
        JsonNode.Parse(Value("MachineHealthCheck", "spec.checks.unhealthyMachineConditions[].type", "x-kubernetes-validations"))!["message"]!
            .GetValue<string>().ShouldStartWith("type must not be one of: Ready");
    }

    [Fact]
    public void The_check_reports_a_missing_or_different_rule()
    {
        var schema = Schema("Machine");
        var clusterName = CapiRuleTable.Node(schema, "spec.clusterName")!;
        clusterName.Remove("maxLength");
        clusterName["minLength"] = 2;
        CapiRuleTable.Node(schema, "spec.taints")!.Remove("x-kubernetes-list-map-keys");
        CapiRuleTable.Node(schema, "spec")!["required"]!.AsArray().RemoveAt(0);

        var mismatches = CapiRuleTable.All.Where(r => r.Kind == "Machine" && r.Skipped is null)
            .Select(r => CapiRuleTable.Mismatch(schema, r)).OfType<string>().ToList();

        mismatches.ShouldContain(m => m.StartsWith("Machine spec.clusterName maxLength 63: the schema has none", StringComparison.Ordinal));
        mismatches.ShouldContain(m => m.StartsWith("Machine spec.clusterName minLength 1: the schema has 2", StringComparison.Ordinal));
        mismatches.ShouldContain(m => m.StartsWith("Machine spec.taints x-kubernetes-list-map-keys", StringComparison.Ordinal));
        mismatches.ShouldContain(m => m.StartsWith("Machine spec.bootstrap required", StringComparison.Ordinal));
        mismatches.Count.ShouldBe(4);
    }

    [Fact]
    public void Table_lines_must_have_four_cells_or_a_skip_reason()
    {
        CapiRuleTable.Parse(["# comment", "", "Machine\tspec.x\tminLength\t1"]).Single().Skipped.ShouldBeNull();
        CapiRuleTable.Parse(["Machine\tspec.y\t*\t3\tskipped: field not modelled"]).Single().Skipped.ShouldBe("field not modelled");
        Should.Throw<FormatException>(() => CapiRuleTable.Parse(["Machine spec.x minLength 1"]));
        Should.Throw<FormatException>(() => CapiRuleTable.Parse(["Machine\tspec.y\t*\t3\tnot modelled"]));
    }
}
