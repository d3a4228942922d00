using System.Text.Json.Nodes;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Tests;

public class JsonMergePatchTests
{
    [Fact]
    public void Equal_documents_need_no_patch()
    {
        var doc = JsonNode.Parse("""{"a":1,"b":{"c":[1,2]}}""")!.AsObject();
        JsonMergePatch.Create(doc, doc.DeepClone().AsObject()).ShouldBeNull();
    }

    [Fact]
    public void Patch_holds_only_changes_with_nulls_for_removals_and_whole_arrays()
    {
        var before = JsonNode.Parse("""{"metadata":{"labels":{"a":"1","b":"2"},"finalizers":["x"]},"spec":{"n":1}}""")!.AsObject();
        var after = JsonNode.Parse("""{"metadata":{"labels":{"a":"1","c":"3"},"finalizers":["x","y"]},"spec":{"n":1}}""")!.AsObject();

        var patch = JsonMergePatch.Create(before, after)!;

        patch.ToJsonString().ShouldBe("""{"metadata":{"labels":{"b":null,"c":"3"},"finalizers":["x","y"]}}""");
    }

    [Fact]
    public void Applying_the_created_patch_reproduces_the_target()
    {
        var before = JsonNode.Parse("""{"a":{"b":1,"c":{"d":true}},"e":[1],"f":"x"}""")!.AsObject();
        var after = JsonNode.Parse("""{"a":{"b":2},"e":[2,3],"g":{"h":null}}""")!.AsObject();

        var patch = JsonMergePatch.Create(before, after);
        var result = JsonMergePatch.Apply(before.DeepClone(), patch);

        // A member whose value is null cannot be expressed in a merge patch: it means "remove".
        JsonNode.DeepEquals(result, JsonNode.Parse("""{"a":{"b":2},"e":[2,3],"g":{}}""")).ShouldBeTrue(result!.ToJsonString());
    }
}
