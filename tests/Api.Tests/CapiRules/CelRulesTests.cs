using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Api.Tests;

/// <summary>The CEL rules of the generated CRDs parse, use only what the test-side evaluator supports, and
/// decide as CAPI intends.</summary>
public partial class CelRulesTests
{
    // Calls and macros the Cel package evaluates; CAPI's rules for the served kinds use all, exists_one, has,
    // filter, size and matches (and the `in` operator), none of the Kubernetes libraries.
    private static readonly HashSet<string> Evaluated =
        ["all", "exists", "exists_one", "filter", "map", "has", "size", "matches", "startsWith", "endsWith", "contains"];

    private static IEnumerable<(string Kind, string Path, string Rule)> CrdRules() =>
        CapiKinds.All.SelectMany(k => CapiRuleTable.RulesIn(CrdGenerator.Generate(k)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject())
            .Where(r => r.Rule == "x-kubernetes-validations")
            .Select(r => (k.Kind, r.Path, r.Value["rule"]!.GetValue<string>())));

    [Fact]
    public void Every_rule_in_the_crds_parses()
    {
        var rules = CrdRules().ToList();

        rules.Count.ShouldBeGreaterThanOrEqualTo(21);
        foreach (var (kind, path, rule) in rules)
            Should.NotThrow(() => CelRules.Compile(rule), $"{kind} {path}: {rule}");
    }

    [Fact]
    public void Rules_call_only_functions_the_test_evaluator_supports()
    {
        var calls = CrdRules().SelectMany(r => Call().Matches(r.Rule).Select(m => m.Groups[1].Value)).ToHashSet();

        calls.ShouldNotBeEmpty();
        calls.Except(Evaluated).ShouldBeEmpty("a rule calls a function the Cel package cannot evaluate; sample checks would fail on it");
    }

    [Fact]
    public void A_malformed_rule_does_not_parse()
    {
        Should.Throw<Exception>(() => CelRules.Compile("self.all(x,"));
    }

    [Fact]
    public void Extra_args_names_must_be_unique()
    {
        const string rule = "self.all(x, self.exists_one(y, x.name == y.name))";
        var unique = JsonNode.Parse("""[{"name":"v","value":"2"},{"name":"cloud-provider","value":"external"}]""");
        var repeated = JsonNode.Parse("""[{"name":"v","value":"2"},{"name":"v","value":"4"}]""");

        CelRules.Holds(rule, unique).ShouldBeTrue();
        CelRules.Holds(rule, repeated).ShouldBeFalse();
    }

    [Fact]
    public void A_health_check_may_not_watch_the_conditions_capi_sets_itself()
    {
        var schema = CapiRuleTable.Node(Schema("MachineHealthCheck"), "spec.checks.unhealthyMachineConditions[].type")!;

        SchemaValidator.Validate(JsonValue.Create("Ready"), schema).ShouldBe(
            ["$: type must not be one of: Ready, Available, HealthCheckSucceeded, OwnerRemediated, ExternallyRemediated"]);
        SchemaValidator.Validate(JsonValue.Create("example.com/DiskPressure"), schema).ShouldBeEmpty();
    }

    [Fact]
    public void Duplicate_kubelet_args_are_refused_in_a_kubeadm_config()
    {
        var config = YamlJson.Load("""
            apiVersion: bootstrap.cluster.x-k8s.io/v1beta2
            kind: KubeadmConfig
            metadata: {name: c}
            spec:
              joinConfiguration:
                nodeRegistration:
                  kubeletExtraArgs:
                  - {name: eviction-hard, value: "memory.available<5%"}
                  - {name: eviction-hard, value: "memory.available<10%"}
            """);

        var errors = SchemaValidator.Validate(config, Schema("KubeadmConfig"));

        errors.ShouldContain("$.spec.joinConfiguration.nodeRegistration.kubeletExtraArgs: kubeletExtraArgs name must be unique");
    }

    private static JsonObject Schema(string kind) =>
        CrdGenerator.Generate(CapiKinds.All.Single(k => k.Kind == kind))["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\(")]
    private static partial Regex Call();
}
