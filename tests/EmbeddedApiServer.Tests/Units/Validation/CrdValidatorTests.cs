using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units.Validation;

public sealed class CrdValidatorTests
{
    private static List<FieldError> Check(string schema, string names = """{"plural":"things","singular":"thing","kind":"Thing"}""") =>
        CrdValidator.Validate((JsonObject)JsonNode.Parse($$$"""
            {"spec":{"group":"example.com","names":{{{names}}},"scope":"Namespaced",
              "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{{{schema}}}}}]}}
            """)!);

    private const string Root = "spec.validation.openAPIV3Schema";

    [Fact]
    public void A_structural_schema_passes()
    {
        Check("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "free":{"x-kubernetes-preserve-unknown-fields":true},"port":{"x-kubernetes-int-or-string":true},
              "n":{"type":"integer","default":2,"x-kubernetes-validations":[{"rule":"self >= 0"}]},
              "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name","proto"],
                "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"proto":{"type":"string","default":"TCP"}}}}}}}}
            """).ShouldBeEmpty();
    }

    [Fact]
    public void List_map_keys_must_be_required_or_defaulted()
    {
        var error = Check("""
            {"type":"object","properties":{"ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
              "items":{"type":"object","properties":{"name":{"type":"string"}}}}}}
            """).ShouldHaveSingleItem();
        error.ToString().ShouldBe($"{Root}.properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property");
    }

    [Fact]
    public void List_map_keys_need_a_list_type_map_of_objects()
    {
        Check("""{"type":"object","properties":{"l":{"type":"array","x-kubernetes-list-map-keys":["k"],"items":{"type":"object","required":["k"],"properties":{"k":{"type":"string"}}}}}}""")
            .ShouldHaveSingleItem().Field.ShouldBe($"{Root}.properties[l].x-kubernetes-list-type");
        Check("""{"type":"object","properties":{"l":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"],"items":{"type":"string"}}}}""")
            .ShouldHaveSingleItem().Field.ShouldBe($"{Root}.properties[l].items.type");
    }

    [Fact]
    public void Types_are_required_outside_preserved_and_int_or_string_fields()
    {
        Check("""{"type":"object","properties":{"a":{"description":"no type"}}}""").ShouldHaveSingleItem().Field.ShouldBe($"{Root}.properties[a].type");
        Check("""{"type":"object","properties":{"a":{"x-kubernetes-preserve-unknown-fields":true,"properties":{"b":{}}}}}""").ShouldBeEmpty();
    }

    [Fact]
    public void Defaults_must_fit_their_schema_and_survive_pruning()
    {
        Check("""{"type":"object","properties":{"n":{"type":"integer","maximum":3,"default":5}}}""")
            .ShouldHaveSingleItem().Field.ShouldBe($"{Root}.properties[n].default");
        Check("""{"type":"object","properties":{"o":{"type":"object","properties":{"a":{"type":"string"}},"default":{"a":"x","b":"y"}}}}""")
            .ShouldHaveSingleItem().Detail.ShouldContain("must not have unknown fields");
    }

    [Fact]
    public void Rules_must_compile()
    {
        var error = Check("""{"type":"object","x-kubernetes-validations":[{"rule":"self.a =="}]}""").ShouldHaveSingleItem();
        error.Field.ShouldBe($"{Root}.x-kubernetes-validations[0].rule");
        error.Detail.ShouldStartWith("compilation failed: ");
        error.Message.ShouldStartWith("""Invalid value: {"Rule":"self.a ==","Message":"","MessageExpression":"","Reason":null,"FieldPath":"","OptionalOldSelf":null}: compilation failed: """);
    }

    [Fact]
    public void Schemas_that_differ_between_versions_are_named_by_version()
    {
        var crd = (JsonObject)JsonNode.Parse("""
            {"spec":{"group":"example.com","names":{"plural":"things","singular":"thing","kind":"Thing"},"scope":"Namespaced",
              "versions":[{"name":"v1","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}},
                          {"name":"v2","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"a":{}}}}}]}}
            """)!;
        CrdValidator.Validate(crd).ShouldHaveSingleItem().Field.ShouldBe("spec.versions[1].schema.openAPIV3Schema.properties[a].type");
    }

    [Fact]
    public void Names_must_be_lowercase_labels_and_kind_differ_from_listKind()
    {
        Check("""{"type":"object"}""", """{"plural":"Things","kind":"Thing"}""").ShouldHaveSingleItem().Field.ShouldBe("spec.names.plural");
        Check("""{"type":"object"}""", """{"plural":"things","kind":"Thing","listKind":"Thing"}""").ShouldHaveSingleItem().Field.ShouldBe("spec.names.listKind");
    }
}
