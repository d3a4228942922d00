using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units.Validation;

public sealed class SchemaValidatorTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static readonly JsonObject Schema = Obj("""
        {"type":"object","properties":{"spec":{"type":"object","required":["clusterName"],"properties":{
          "clusterName":{"type":"string","minLength":1,"maxLength":10},
          "replicas":{"type":"integer","format":"int32","minimum":0,"maximum":5},
          "ratio":{"type":"number","exclusiveMinimum":true,"minimum":0},
          "version":{"type":"string","pattern":"^v\\d+$"},
          "when":{"type":"string","format":"date-time"},
          "mode":{"type":"string","enum":["A","B"]},
          "port":{"x-kubernetes-int-or-string":true},
          "note":{"type":"string","nullable":true},
          "tags":{"type":"array","maxItems":2,"x-kubernetes-list-type":"set","items":{"type":"string"}},
          "ports":{"type":"array","minItems":1,"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                   "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"n":{"type":"integer"}}}},
          "labels":{"type":"object","maxProperties":1,"additionalProperties":{"type":"string"}}}}}}
        """);

    private static List<FieldError> Check(string spec) =>
        SchemaValidator.Validate(Schema, Obj($$"""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"a"},"spec":{{spec}}}"""), null);

    [Fact]
    public void A_valid_object_has_no_errors()
    {
        Check("""
            {"clusterName":"c1","replicas":3,"ratio":0.5,"version":"v2","when":"2024-01-02T03:04:05Z","mode":"A","port":"http",
             "note":null,"tags":["a","b"],"ports":[{"name":"a","n":1},{"name":"b"}],"labels":{"k":"v"}}
            """).ShouldBeEmpty();
        Check("""{"clusterName":"c1","port":8080}""").ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_required_field_is_FieldValueRequired_at_its_path()
    {
        var error = Check("{}").ShouldHaveSingleItem();
        error.Reason.ShouldBe("FieldValueRequired");
        error.Field.ShouldBe("spec.clusterName");
        error.ToString().ShouldBe("spec.clusterName: Required value");
    }

    [Fact]
    public void Wrong_types_are_FieldValueTypeInvalid()
    {
        var errors = Check("""{"clusterName":"c","replicas":"three","port":true,"ratio":1.5,"mode":"A"}""");
        errors.Select(e => (e.Reason, e.Field)).ShouldBe([("FieldValueTypeInvalid", "spec.replicas"), ("FieldValueTypeInvalid", "spec.port")], ignoreOrder: true);
        errors.First(e => e.Field == "spec.replicas").ToString()
            .ShouldBe("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
        Check("""{"clusterName":"c","replicas":1.5}""").ShouldHaveSingleItem().Reason.ShouldBe("FieldValueTypeInvalid");
        Check("""{"clusterName":"c","mode":null}""").ShouldHaveSingleItem().Field.ShouldBe("spec.mode");
    }

    [Fact]
    public void Bounds_lengths_patterns_formats_and_enums_are_checked()
    {
        Check("""{"clusterName":"12345678901"}""").ShouldHaveSingleItem().ToString().ShouldBe("spec.clusterName: Too long: may not be more than 10 bytes");
        Check("""{"clusterName":""}""").ShouldHaveSingleItem().Reason.ShouldBe("FieldValueInvalid");
        Check("""{"clusterName":"c","replicas":6}""").ShouldHaveSingleItem().ToString()
            .ShouldBe("spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5");
        Check("""{"clusterName":"c","replicas":-1}""").ShouldHaveSingleItem().Field.ShouldBe("spec.replicas");
        Check("""{"clusterName":"c","ratio":0}""").ShouldHaveSingleItem().Detail.ShouldContain("greater than 0");
        Check("""{"clusterName":"c","version":"2"}""").ShouldHaveSingleItem().Detail.ShouldContain("should match '^v\\d+$'");
        Check("""{"clusterName":"c","when":"yesterday"}""").ShouldHaveSingleItem().Detail.ShouldContain("must be of type date-time");
        var notSupported = Check("""{"clusterName":"c","mode":"C"}""").ShouldHaveSingleItem();
        notSupported.Reason.ShouldBe("FieldValueNotSupported");
        notSupported.ToString().ShouldBe("spec.mode: Unsupported value: \"C\": supported values: \"A\", \"B\"");
    }

    [Fact]
    public void Lists_and_maps_are_bounded_and_keyed_lists_unique()
    {
        Check("""{"clusterName":"c","tags":["a","b","c"]}""").ShouldContain(e => e.Reason == "FieldValueTooMany" && e.Field == "spec.tags");
        Check("""{"clusterName":"c","tags":["a","a"]}""").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Reason.ShouldBe("FieldValueDuplicate"), e => e.Field.ShouldBe("spec.tags[1]"));
        Check("""{"clusterName":"c","ports":[{"name":"a"},{"name":"a","n":2}]}""").ShouldHaveSingleItem().Field.ShouldBe("spec.ports[1]");
        Check("""{"clusterName":"c","ports":[]}""").ShouldHaveSingleItem().Detail.ShouldContain("at least 1 items");
        Check("""{"clusterName":"c","ports":[{"n":1}]}""").ShouldHaveSingleItem().Field.ShouldBe("spec.ports[0].name");
        Check("""{"clusterName":"c","labels":{"a":"1","b":"2"}}""").ShouldHaveSingleItem().Reason.ShouldBe("FieldValueTooMany");
        Check("""{"clusterName":"c","labels":{"a":1}}""").ShouldHaveSingleItem().Field.ShouldBe("spec.labels.a");
    }

    [Fact]
    public void Several_errors_make_one_Invalid_status_with_a_cause_each()
    {
        var e = FieldError.ToException("cluster.x-k8s.io", "Machine", "m1", Check("""{"replicas":9}"""));
        e.Code.ShouldBe(422);
        e.Reason.ShouldBe("Invalid");
        e.Message.ShouldBe("Machine.cluster.x-k8s.io \"m1\" is invalid: [spec.clusterName: Required value, spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5]");
        e.Details!.Causes.Select(c => c.Field).ShouldBe(["spec.clusterName", "spec.replicas"], ignoreOrder: true);
    }
}
