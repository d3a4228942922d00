using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units.Validation;

/// <summary>x-kubernetes-validations with the constructs Cluster API's CRDs use, on schemas built here.</summary>
public sealed class CelRulesTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static readonly JsonObject Schema = Obj("""
        {"type":"object","properties":{"spec":{"type":"object",
          "x-kubernetes-validations":[
            {"rule":"[has(self.layout),has(self.diskLayout)].filter(x, x == true).size() == 1","message":"exactly one of layout or diskLayout"},
            {"rule":"!has(self.paused) || !self.paused || self.replicas == 0","messageExpression":"'replicas is ' + string(self.replicas) + ' while paused'","reason":"FieldValueForbidden","fieldPath":".replicas"}],
          "properties":{
            "layout":{"type":"string"},"diskLayout":{"type":"string"},"paused":{"type":"boolean"},"replicas":{"type":"integer"},
            "kind":{"type":"string","x-kubernetes-validations":[{"rule":"!(self in ['Ready','Available'])","message":"reserved condition type"}]},
            "fs":{"type":"string","x-kubernetes-validations":[{"rule":"self.matches('^(Linux|[0-9A-Fa-f]{8})$')"}]},
            "name":{"type":"string","x-kubernetes-validations":[
              {"rule":"self == oldSelf","message":"name is immutable"},
              {"rule":"self.lowerAscii() == self && self.startsWith('n') && size(self) <= 10","message":"bad name"}]},
            "items":{"type":"array","x-kubernetes-validations":[{"rule":"self.all(x, self.exists_one(y, x.name == y.name))","message":"names must be unique"}],
              "items":{"type":"object","properties":{"name":{"type":"string"}}}},
            "version":{"type":"string","x-kubernetes-validations":[{"rule":"isSemver(self) ? true : self.startsWith('v') && isSemver(self.substring(1))"}]}}}}}
        """);

    private static List<FieldError> Check(string spec, string? oldSpec = null) =>
        SchemaValidator.Validate(Schema, Obj($$"""{"spec":{{spec}}}"""), oldSpec is null ? null : Obj($$"""{"spec":{{oldSpec}}}"""));

    [Fact]
    public void Rules_that_hold_give_no_errors()
    {
        Check("""{"layout":"a","paused":true,"replicas":0,"kind":"Custom","fs":"Linux","name":"n1","items":[{"name":"a"},{"name":"b"}],"version":"v1.30.0"}""")
            .ShouldBeEmpty();
    }

    [Fact]
    public void A_failed_rule_reports_its_message_at_the_rule_s_field_showing_scalar_values_only()
    {
        // Worded as kube-apiserver v1.36 words them: no value for objects and lists, the value itself for scalars.
        var error = Check("""{"layout":"a","diskLayout":"b"}""").ShouldHaveSingleItem();
        error.ToString().ShouldBe("spec: Invalid value: exactly one of layout or diskLayout");
        Check("""{"layout":"a","kind":"Ready"}""").ShouldHaveSingleItem().ToString().ShouldBe("spec.kind: Invalid value: \"Ready\": reserved condition type");
        var list = Check("""{"layout":"a","items":[{"name":"a"},{"name":"a"}]}""").ShouldHaveSingleItem();
        list.ToString().ShouldBe("spec.items: Invalid value: names must be unique");
    }

    [Fact]
    public void Without_a_message_the_rule_itself_is_quoted()
    {
        Check("""{"layout":"a","fs":"ext4"}""").ShouldHaveSingleItem().Detail
            .ShouldBe("failed rule: self.matches('^(Linux|[0-9A-Fa-f]{8})$')");
        Check("""{"layout":"a","version":"1.2"}""").ShouldHaveSingleItem().Field.ShouldBe("spec.version");
    }

    [Fact]
    public void MessageExpression_reason_and_fieldPath_shape_the_error()
    {
        var error = Check("""{"layout":"a","paused":true,"replicas":2}""").ShouldHaveSingleItem();
        error.Reason.ShouldBe("FieldValueForbidden");
        error.ToString().ShouldBe("spec.replicas: Forbidden: replicas is 2 while paused");
    }

    [Fact]
    public void Transition_rules_run_only_when_an_old_value_exists()
    {
        Check("""{"layout":"a","name":"n2"}""").ShouldBeEmpty("create has no oldSelf");
        Check("""{"layout":"a","name":"n2"}""", """{"layout":"a","name":"n1"}""").ShouldHaveSingleItem().Detail.ShouldBe("name is immutable");
        Check("""{"layout":"a","name":"n1"}""", """{"layout":"a","name":"n1"}""").ShouldBeEmpty();
        Check("""{"layout":"a","name":"n1"}""", """{"layout":"a"}""").ShouldBeEmpty("the field had no old value");
    }

    [Fact]
    public void Rules_do_not_run_over_values_of_the_wrong_type_and_the_answer_says_so()
    {
        var errors = Check("""{"layout":"a","kind":5}""");
        errors.Select(e => e.Reason).ShouldBe(["FieldValueTypeInvalid", "FieldValueInvalid"]);
        errors[1].ToString().ShouldBe("<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation");
    }

    [Fact]
    public void Compile_errors_are_reported_for_CRD_validation()
    {
        CelRules.CompileError("self.a ==").ShouldNotBeNull();
        CelRules.CompileError("self.all(x, x > 0)").ShouldBeNull();
    }
}
