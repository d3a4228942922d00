using System.Text.Json.Nodes;

namespace ServerlessCapi.Admission.Tests;

/// <summary>The defaulting patch touches only what defaulting changed, whatever the API server put in the object.</summary>
public class PatchTests
{
    [Fact]
    public void Server_populated_fields_and_unknown_fields_are_left_alone()
    {
        var machine = AdmissionCaseCorpus.Find("machine: version normalised").Object;
        machine["metadata"] = JsonNode.Parse("""
            {"name":"demo-worker-0","namespace":"default","uid":"7c1f3a52-9d3e-4c43-a3c4-0d5b5f1f6a11","resourceVersion":"4711",
             "generation":3,"creationTimestamp":"2026-12-01T10:00:00Z","labels":{"cluster.x-k8s.io/cluster-name":"demo"},
             "ownerReferences":[{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineSet","name":"ms","uid":"u","controller":true}],
             "managedFields":[{"manager":"kubectl","operation":"Apply","apiVersion":"cluster.x-k8s.io/v1beta2","time":"2026-12-01T10:00:00Z",
               "fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:clusterName":{}}}}]}
            """);
        machine["spec"]!["futureField"] = new JsonObject { ["x"] = 1 };
        machine["status"] = JsonNode.Parse("""{"phase":"Running","conditions":[{"type":"Ready","status":"True","reason":"Ready","lastTransitionTime":"2026-12-01T10:05:00Z"}]}""");

        var outcome = new AdmissionHandler().Default(machine, null, "CREATE");

        outcome.Allowed.ShouldBeTrue();
        outcome.Patch!.Select(op => op!["path"]!.GetValue<string>()).ShouldBe(["/spec/version", "/spec/deletion"], ignoreOrder: true);
        outcome.Patched!["spec"]!["futureField"]!["x"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public void Merge_patch_paths_follow_added_objects_into_their_members()
    {
        var before = JsonNode.Parse("""{"spec":{"a":1,"gone":{"x":1},"obj":{"k":"v"}}}""");
        var after = JsonNode.Parse("""{"spec":{"a":2,"obj":{"k":"v","n":{"deep":true}}}}""");

        JsonDiff.ChangedPaths(before, after).Select(p => string.Join(".", p))
            .ShouldBe(["spec.a", "spec.gone", "spec.obj.n.deep"], ignoreOrder: true);
    }

    [Fact]
    public void Patches_escape_member_names_and_apply_back()
    {
        var before = JsonNode.Parse("""{"metadata":{"labels":{}}}""")!;
        var after = JsonNode.Parse("""{"metadata":{"labels":{"cluster.x-k8s.io/cluster-name":"demo","a~b":"c"}}}""")!;

        var patch = JsonDiff.CreatePatch(before, after);

        patch.Select(op => op!["path"]!.GetValue<string>()).ShouldBe(["/metadata/labels/cluster.x-k8s.io~1cluster-name", "/metadata/labels/a~0b"]);
        JsonNode.DeepEquals(JsonPatchApplier.Apply(before, patch), after).ShouldBeTrue();
    }

    [Theory]
    [InlineData("1.30.1", true)]
    [InlineData("1.30.1-rc.1+build.5", true)]
    [InlineData("1.30", false)]
    [InlineData("01.30.1", false)]
    [InlineData("banana", false)]
    public void Versions_parse_as_CAPIs_semver(string text, bool valid) => (Semver.Parse(text) is not null).ShouldBe(valid);

    [Theory]
    [InlineData("v1.30", "1.30.0")]
    [InlineData(" v1.31.7 ", "1.31.7")]
    [InlineData("1.32.0-alpha.0", "1.32.0-alpha.0")]
    public void Tolerant_parsing_fills_missing_parts(string text, string expected) => Semver.ParseTolerant(text)!.ToString().ShouldBe(expected);
}
