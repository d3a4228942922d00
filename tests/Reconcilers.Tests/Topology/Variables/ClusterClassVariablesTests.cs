using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Topology;
using ServerlessCapi.Reconcilers.Topology.Variables;
using static ServerlessCapi.Reconcilers.Tests.Topology.TopologyObjects;

namespace ServerlessCapi.Reconcilers.Tests.Topology.Variables;

public class ClusterClassVariablesTests
{
    private static readonly ClusterClassVariables Variables = new();

    private static async Task<IReadOnlyList<ClusterClassStatusVariable>> Definitions(string variablesYaml)
    {
        var result = await Variables.ComputeStatusAsync(Class("variables:\n" + variablesYaml), CancellationToken.None);
        result.Error.ShouldBeNull();
        return result.Variables;
    }

    private static async Task<(Cluster Cluster, IReadOnlyList<TopologyFieldError> Errors)> Check(string variablesYaml, string topologyYaml, string? oldTopologyYaml = null)
    {
        var defs = await Definitions(variablesYaml);
        var cluster = Cluster("classRef: {name: quick}\nversion: v1.34.1\n" + topologyYaml);
        var old = oldTopologyYaml is null ? null : Cluster("classRef: {name: quick}\nversion: v1.34.1\n" + oldTopologyYaml);
        return (cluster, Variables.ValidateAndDefault(cluster, defs, old));
    }

    private const string Port = "- {name: port, required: true, schema: {openAPIV3Schema: {type: integer, minimum: 1, maximum: 65535}}}";

    [Fact]
    public async Task Status_lists_inline_definitions()
    {
        var defs = await Definitions(Port + "\n- {name: region, required: false, schema: {openAPIV3Schema: {type: string}}}");

        defs.Select(d => (d.Name, d.Definitions.Single().From, d.Definitions.Single().Required)).ShouldBe([("port", "inline", (bool?)true), ("region", "inline", (bool?)false)]);
    }

    [Theory]
    [InlineData("- {name: builtin, required: false, schema: {openAPIV3Schema: {type: string}}}", "spec.variables[0].name", "reserved")]
    [InlineData("- {name: a.b, required: false, schema: {openAPIV3Schema: {type: string}}}", "spec.variables[0].name", "cannot contain")]
    [InlineData("- {name: a, required: false, schema: {openAPIV3Schema: {type: string}}}\n- {name: a, required: false, schema: {openAPIV3Schema: {type: string}}}", "spec.variables[1].name", "unique")]
    [InlineData("- {name: a, required: false, schema: {openAPIV3Schema: {description: none}}}", "spec.variables[0].schema.openAPIV3Schema.type", "Required")]
    [InlineData("- {name: a, required: false, schema: {openAPIV3Schema: {type: array}}}", "spec.variables[0].schema.openAPIV3Schema.items", "Required")]
    [InlineData("- {name: a, required: false, schema: {openAPIV3Schema: {type: object, properties: {x: {type: string}}, additionalProperties: {type: string}}}}", "spec.variables[0].schema.openAPIV3Schema", "mutually exclusive")]
    [InlineData("- {name: a, required: false, schema: {openAPIV3Schema: {type: integer, minimum: 5, default: 1}}}", "spec.variables[0].schema.openAPIV3Schema.default", "greater than or equal to 5")]
    [InlineData("- {name: a, required: false, schema: {openAPIV3Schema: {type: object, properties: {p: {type: string, pattern: \"([a-z\"}}}}}", "spec.variables[0].schema.openAPIV3Schema.properties[p].pattern", "regular expression")]
    public async Task Malformed_definitions_keep_the_status_from_being_computed(string variables, string field, string message)
    {
        var result = await Variables.ComputeStatusAsync(Class("variables:\n" + variables), CancellationToken.None);

        result.Error.ShouldNotBeNull();
        result.Error.ShouldContain(field);
        result.Error.ShouldContain(message);
    }

    [Fact]
    public async Task A_discovery_extension_without_a_caller_is_an_error()
    {
        var result = await Variables.ComputeStatusAsync(Class("patches:\n- name: ext\n  external: {discoverVariablesExtension: discover.ext}"), CancellationToken.None);

        result.Error!.ShouldContain("spec.patches[0].external.discoverVariablesExtension");
    }

    [Theory]
    [InlineData("{type: integer, minimum: 1}", "0", "value", "greater than or equal to 1")]
    [InlineData("{type: integer, maximum: 10}", "11", "value", "less than or equal to 10")]
    [InlineData("{type: integer}", "\"x\"", "value", "must be of type integer")]
    [InlineData("{type: string, format: ipv4}", "\"300.1.1.1\"", "value", "must be of type ipv4")]
    [InlineData("{type: string, enum: [a, b]}", "\"c\"", "value", "Unsupported value")]
    [InlineData("{type: string, maxLength: 2}", "\"abc\"", "value", "Too long")]
    [InlineData("{type: string, minLength: 2}", "\"a\"", "value", "at least 2 chars")]
    [InlineData("{type: string, pattern: \"^v[0-9]+$\"}", "\"x1\"", "value", "should match")]
    [InlineData("{type: array, items: {type: string}, maxItems: 1}", "[a, b]", "value", "Too many")]
    [InlineData("{type: array, items: {type: string}, minItems: 2}", "[a]", "value", "at least 2 items")]
    [InlineData("{type: array, items: {type: string}, uniqueItems: true}", "[a, a]", "value[1]", "Duplicate value")]
    [InlineData("{type: array, items: {type: integer}}", "[1, x]", "value[1]", "must be of type integer")]
    [InlineData("{type: object, properties: {port: {type: integer}}, required: [port]}", "{}", "value.port", "Required value")]
    [InlineData("{type: object, properties: {port: {type: integer, minimum: 1}}}", "{port: 0}", "value.port", "greater than or equal to 1")]
    [InlineData("{type: object, additionalProperties: {type: integer}}", "{a: x}", "value.a", "must be of type integer")]
    [InlineData("{type: object, properties: {a: {type: string}}}", "{a: x, b: y}", "", "\"b\" field(s) are not specified in the variable schema of variable \"v\"")]
    [InlineData("{type: object, x-kubernetes-validations: [{rule: \"self.min <= self.max\", message: min above max}], properties: {min: {type: integer}, max: {type: integer}}}", "{min: 3, max: 1}", "value", "min above max")]
    public async Task Values_are_checked_against_each_schema_keyword(string schema, string value, string field, string message)
    {
        var (_, errors) = await Check($"- {{name: v, required: false, schema: {{openAPIV3Schema: {schema}}}}}", $"variables: [{{name: v, value: {value}}}]");

        var error = errors.ShouldHaveSingleItem();
        error.Field.ShouldBe("spec.topology.variables[0]" + (field.Length > 0 ? "." + field : ""));
        error.Message.ShouldContain(message);
    }

    [Theory]
    [InlineData("{type: object, x-kubernetes-preserve-unknown-fields: true}", "{anything: {goes: 1}}")]
    [InlineData("{type: string, format: ipv4, enum: [10.0.0.1]}", "10.0.0.1")]
    [InlineData("{type: array, items: {type: string}, uniqueItems: true, maxItems: 2}", "[a, b]")]
    public async Task Conforming_values_pass(string schema, string value)
    {
        var (_, errors) = await Check($"- {{name: v, required: false, schema: {{openAPIV3Schema: {schema}}}}}", $"variables: [{{name: v, value: {value}}}]");

        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Transition_rules_compare_with_the_old_value_on_update_only()
    {
        const string defs = "- {name: v, required: false, schema: {openAPIV3Schema: {type: integer, x-kubernetes-validations: [{rule: \"self >= oldSelf\", message: may not shrink}]}}}";

        (await Check(defs, "variables: [{name: v, value: 3}]")).Errors.ShouldBeEmpty();
        (await Check(defs, "variables: [{name: v, value: 3}]", "variables: [{name: v, value: 2}]")).Errors.ShouldBeEmpty();
        var shrink = (await Check(defs, "variables: [{name: v, value: 1}]", "variables: [{name: v, value: 2}]")).Errors.ShouldHaveSingleItem();
        shrink.Field.ShouldBe("spec.topology.variables[0].value");
        shrink.Message.ShouldContain("may not shrink");
    }

    [Fact]
    public async Task Names_must_be_defined_given_once_and_required_ones_set()
    {
        var (_, errors) = await Check(Port + "\n- {name: other, required: false, schema: {openAPIV3Schema: {type: string}}}",
            "variables: [{name: nope, value: 1}, {name: other, value: a}, {name: other, value: b}]");

        errors.Select(e => e.Field).ShouldBe(["spec.topology.variables[2].name", "spec.topology.variables", "spec.topology.variables[0]"], ignoreOrder: true);
        errors.Single(e => e.Field == "spec.topology.variables").Message.ShouldContain("required variable \"port\" must be set");
        errors.Single(e => e.Field == "spec.topology.variables[0]").Message.ShouldContain("variable is not defined");
    }

    [Fact]
    public async Task Defaults_add_missing_variables_and_fill_nested_fields()
    {
        const string defs = """
            - {name: port, required: true, schema: {openAPIV3Schema: {type: integer, default: 6443}}}
            - {name: optional, required: false, schema: {openAPIV3Schema: {type: string, default: x}}}
            - {name: none, required: false, schema: {openAPIV3Schema: {type: string}}}
            - name: pss
              required: false
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    enabled: {type: boolean, default: true}
                    levels: {type: object, default: {}, properties: {enforce: {type: string, default: baseline}}}
            """;

        var (cluster, errors) = await Check(defs, "variables: [{name: pss, value: {}}]");

        errors.ShouldBeEmpty();
        var values = cluster.Spec.Topology!.Variables!.ToDictionary(v => v.Name, v => v.Value!.Value.GetRawText());
        values["pss"].ShouldBe("""{"enabled":true,"levels":{"enforce":"baseline"}}""");
        values["port"].ShouldBe("6443");
        values["optional"].ShouldBe("\"x\"", "CAPI adds every variable with a top-level default");
        values.ShouldNotContainKey("none");
    }

    [Fact]
    public async Task Overrides_are_validated_and_defaulted_but_never_added()
    {
        const string defs = "- {name: size, required: true, schema: {openAPIV3Schema: {type: object, properties: {n: {type: integer, maximum: 5}, unit: {type: string, default: Gi}}}}}";

        var (cluster, errors) = await Check(defs, """
            variables: [{name: size, value: {n: 1}}]
            controlPlane: {variables: {overrides: [{name: size, value: {n: 9}}]}}
            workers:
              machineDeployments:
              - {class: default-worker, name: md-a, variables: {overrides: [{name: size, value: {n: 2}}]}}
              - {class: default-worker, name: md-b, variables: {overrides: [{name: nope, value: 1}]}}
              machinePools:
              - {class: pool-worker, name: mp-a, variables: {overrides: [{name: size, value: {n: x}}]}}
            """);

        errors.Select(e => e.Field).ShouldBe([
            "spec.topology.controlPlane.variables.overrides[0].value.n",
            "spec.topology.workers.machineDeployments[1].variables.overrides[0]",
            "spec.topology.workers.machinePools[0].variables.overrides[0].value.n",
        ], ignoreOrder: true);
        cluster.Spec.Topology!.Workers!.MachineDeployments![0].Variables!.Overrides![0].Value!.Value.GetRawText().ShouldBe("""{"n":2,"unit":"Gi"}""");
        cluster.Spec.Topology.Variables!.ShouldHaveSingleItem();
    }
}
