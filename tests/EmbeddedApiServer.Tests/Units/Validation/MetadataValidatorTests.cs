using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units.Validation;

public sealed class MetadataValidatorTests
{
    private static List<FieldError> Check(string meta) => MetadataValidator.Validate((JsonObject)JsonNode.Parse(meta)!);

    [Fact]
    public void Well_formed_metadata_passes()
    {
        Check("""
            {"name":"a","labels":{"app":"x","example.com/tier":"front-end_1","empty":""},"annotations":{"Example.com/Note":"any text at all"},
             "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"c","uid":"u","controller":true}],"finalizers":["example.com/hold","kubernetes"]}
            """).ShouldBeEmpty();
    }

    [Fact]
    public void Label_keys_and_values_follow_the_qualified_name_rules()
    {
        Check("""{"labels":{"bad key":"v"}}""").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            e => e.Field.ShouldBe("metadata.labels"), e => e.Detail.ShouldStartWith("name part must consist of alphanumeric characters"));
        Check("""{"labels":{"Example.com/k":"v"}}""").ShouldHaveSingleItem().Detail.ShouldStartWith("prefix part a lowercase RFC 1123 subdomain");
        Check("""{"labels":{"k":"-v"}}""").ShouldHaveSingleItem().Detail.ShouldStartWith("a valid label must be an empty string");
        Check($$$"""{"labels":{"k":"{{{new string('v', 64)}}}"}}""").ShouldHaveSingleItem().Detail.ShouldBe("must be no more than 63 bytes");
    }

    [Fact]
    public void Annotations_are_limited_to_256_KiB_in_total()
    {
        var big = new string('x', 150 * 1024);
        Check($$$"""{"annotations":{"a":"{{{big}}}"}}""").ShouldBeEmpty();
        Check($$$"""{"annotations":{"a":"{{{big}}}","b":"{{{big}}}"}}""").ShouldHaveSingleItem().ToString()
            .ShouldBe("metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    [Fact]
    public void Owner_references_need_apiVersion_kind_name_and_uid_and_one_controller_at_most()
    {
        Check("""{"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"c"}]}""").ShouldHaveSingleItem().ToString()
            .ShouldBe("metadata.ownerReferences.uid: Invalid value: \"\": must not be empty");
        Check("""{"ownerReferences":[{}]}""").Select(e => e.Field).ShouldBe(
            ["metadata.ownerReferences.apiVersion", "metadata.ownerReferences.kind", "metadata.ownerReferences.name", "metadata.ownerReferences.uid"]);
        Check("""{"ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"1","controller":true},{"apiVersion":"v1","kind":"B","name":"b","uid":"2","controller":true}]}""")
            .ShouldHaveSingleItem().Detail.ShouldBe("Only one reference can have Controller set to true. Found \"true\" in references for A/a and B/b");
        Check("""{"ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"1","controller":true},{"apiVersion":"v1","kind":"B","name":"b","uid":"2","controller":true},{"apiVersion":"v1","kind":"C","name":"c","uid":"3","controller":true}]}""")
            .Select(e => e.Detail).ShouldBe([
                "Only one reference can have Controller set to true. Found \"true\" in references for A/a and B/b",
                "Only one reference can have Controller set to true. Found \"true\" in references for A/a and C/c",
            ]);
    }

    [Fact]
    public void Finalizers_must_be_qualified_names()
    {
        Check("""{"finalizers":["not a name"]}""").ShouldHaveSingleItem().Field.ShouldBe("metadata.finalizers");
        Check("""{"finalizers":["a/b/c"]}""").ShouldHaveSingleItem().Field.ShouldBe("metadata.finalizers");
    }

    [Fact]
    public void The_uid_cannot_change_on_update()
    {
        var old = (JsonObject)JsonNode.Parse("""{"uid":"1"}""")!;
        MetadataValidator.ValidateUpdate("2", old).ShouldHaveSingleItem().ToString().ShouldBe("metadata.uid: Invalid value: \"2\": field is immutable");
        MetadataValidator.ValidateUpdate("1", old).ShouldBeEmpty();
        MetadataValidator.ValidateUpdate(null, old).ShouldBeEmpty();
    }
}
