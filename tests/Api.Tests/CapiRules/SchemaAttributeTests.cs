using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api.Tests;

/// <summary>Each schema attribute writes its keyword where it stands: on the field, its items, or the class.</summary>
public class SchemaAttributeTests
{
    [KubeProperties(1, 3)]
    [KubeValidation("has(self.name) || has(self.names)", "name or names is required", Reason = "FieldValueRequired", FieldPath = ".name")]
    private sealed class Sample : ApiObject
    {
        [JsonPropertyName("name")]
        [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.DnsLabel)]
        [KubeValidation("self == oldSelf", "name is immutable", MessageExpression = "'name was ' + oldSelf", OptionalOldSelf = true)]
        public string? Name { get; set; }

        [JsonPropertyName("names")]
        [KubeItems(1, 10), KubeListType("set"), KubeMaxLength(20, OnItems = true)]
        public List<string>? Names { get; set; }

        [JsonPropertyName("grid")]
        [KubeItems(-1, 4), KubeItems(2, -1, OnItems = true), KubeMinimum(0, ItemLevel = 2), KubeMaximum(9, ItemLevel = 2)]
        public List<List<int>>? Grid { get; set; }

        [JsonPropertyName("mode")]
        [KubeDefault("\"Auto\""), KubeEnum("Auto", "Manual")]
        public string? Mode { get; set; }

        [JsonPropertyName("at")]
        [KubeFormat("date-time")]
        public string? At { get; set; }

        [JsonPropertyName("selector")]
        [KubeMapType("granular")]
        public LabelSelector? Selector { get; set; }

        [JsonPropertyName("opaque")]
        [KubeType("array"), KubeListType("atomic")]
        public System.Text.Json.JsonElement? Opaque { get; set; }

        [JsonPropertyName("ports")]
        [KubeListType("map"), KubeListMapKeys("port", "protocol")]
        public List<Port>? Ports { get; set; }
    }

    private sealed class Port : ApiObject
    {
        [JsonPropertyName("port"), KubeRequired]
        public int PortNumber { get; set; }

        [JsonPropertyName("protocol"), KubeRequired]
        public string Protocol { get; set; } = "TCP";
    }

    private sealed class Misplaced : ApiObject
    {
        [JsonPropertyName("name")]
        [KubeMaxLength(5, OnItems = true)]
        public string? Name { get; set; }
    }

    [Fact]
    public void Attributes_write_their_keywords()
    {
        var schema = SchemaGenerator.ForType(typeof(Sample));
        var p = schema["properties"]!;

        schema["minProperties"]!.GetValue<int>().ShouldBe(1);
        schema["maxProperties"]!.GetValue<int>().ShouldBe(3);
        schema["x-kubernetes-validations"]!.ToJsonString().ShouldBe(
            """[{"fieldPath":".name","message":"name or names is required","reason":"FieldValueRequired","rule":"has(self.name) || has(self.names)"}]""");
        JsonNode.DeepEquals(p["name"], JsonNode.Parse("""{"type":"string","minLength":1,"maxLength":63,"pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","x-kubernetes-validations":[{"message":"name is immutable","messageExpression":"'name was ' + oldSelf","optionalOldSelf":true,"rule":"self == oldSelf"}]}""")).ShouldBeTrue(p["name"]!.ToJsonString());
        p["names"]!.ToJsonString().ShouldBe("""{"type":"array","items":{"type":"string","maxLength":20},"minItems":1,"maxItems":10,"x-kubernetes-list-type":"set"}""");
        p["grid"]!.ToJsonString().ShouldBe("""{"type":"array","items":{"type":"array","items":{"type":"integer","format":"int32","minimum":0,"maximum":9},"minItems":2},"maxItems":4}""");
        p["mode"]!["default"]!.GetValue<string>().ShouldBe("Auto");
        p["at"]!["format"]!.GetValue<string>().ShouldBe("date-time");
        p["selector"]!["x-kubernetes-map-type"]!.GetValue<string>().ShouldBe("granular");
        p["opaque"]!.ToJsonString().ShouldBe("""{"x-kubernetes-preserve-unknown-fields":true,"type":"array","items":{"type":"object","x-kubernetes-preserve-unknown-fields":true},"x-kubernetes-list-type":"atomic"}""");
        p["ports"]!["x-kubernetes-list-map-keys"]!.ToJsonString().ShouldBe("""["port","protocol"]""");
    }

    [Fact]
    public void The_attributed_schema_is_one_the_api_server_accepts()
    {
        var root = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["spec"] = SchemaGenerator.ForType(typeof(Sample)) },
        };

        StructuralSchema.Violations(root).ShouldBeEmpty();
    }

    [Fact]
    public void A_rule_on_items_of_a_field_without_items_is_refused()
    {
        Should.Throw<InvalidOperationException>(() => SchemaGenerator.ForType(typeof(Misplaced))).Message.ShouldContain("Misplaced.name");
    }

    [Fact]
    public void The_structural_check_refuses_what_the_api_server_refuses()
    {
        var root = JsonNode.Parse("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "a":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}},"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["k"]},
              "b":{"type":"array","items":{"type":"string"},"x-kubernetes-validations":[{"rule":"self.all(x, x.size() < 5)","message":"short"}]},
              "c":{"type":"string","minItems":1,"x-kubernetes-map-type":"atomic"},
              "d":{"type":"array","items":{"type":"string"},"x-kubernetes-list-map-keys":["k"]}
            }}}}
            """)!.AsObject();

        var errors = StructuralSchema.Violations(root);

        errors.ShouldContain("$.spec.a: map key k must be required or defaulted");
        errors.ShouldContain("$.spec.b: a rule iterates a list without maxItems");
        errors.ShouldContain("$.spec.c: minItems applies to arrays only");
        errors.ShouldContain("$.spec.c: x-kubernetes-map-type on a non-object");
        errors.ShouldContain("$.spec.d: x-kubernetes-list-map-keys needs x-kubernetes-list-type map");
    }
}
