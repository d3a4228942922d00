using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Patch;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units;

public sealed class PatchTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void Merge_patch_follows_rfc_7386()
    {
        var result = MergePatch.Apply(Obj("""{"a":{"b":1,"c":2},"d":[1,2]}"""), Obj("""{"a":{"b":null,"e":3},"d":[3]}"""));
        JsonNode.DeepEquals(result, Obj("""{"a":{"c":2,"e":3},"d":[3]}""")).ShouldBeTrue(result.ToJsonString());
    }

    [Fact]
    public void Json_patch_supports_every_operation_and_escaped_pointers()
    {
        var ops = JsonNode.Parse("""
            [{"op":"add","path":"/a~1b","value":1},{"op":"copy","from":"/a~1b","path":"/c"},{"op":"move","from":"/c","path":"/d"},
             {"op":"replace","path":"/list/0","value":"x"},{"op":"remove","path":"/list/1"},{"op":"test","path":"/d","value":1}]
            """);
        var result = JsonPatch.Apply(Obj("""{"list":["p","q"]}"""), ops);
        JsonNode.DeepEquals(result, Obj("""{"list":["x"],"a/b":1,"d":1}""")).ShouldBeTrue(result.ToJsonString());
        Should.Throw<ApiException>(() => JsonPatch.Apply(Obj("{}"), JsonNode.Parse("""[{"op":"remove","path":"/missing"}]"""))).Code.ShouldBe(422);
    }

    [Fact]
    public void Strategic_merge_merges_node_conditions_by_type_and_honours_directives()
    {
        var node = Obj("""{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"DiskPressure","status":"False"}]},"metadata":{"finalizers":["a"]}}""");
        var patch = Obj("""
            {"status":{"conditions":[{"type":"Ready","status":"True"},{"type":"DiskPressure","$patch":"delete"}],
                       "$setElementOrder/conditions":[{"type":"Ready"}]},
             "metadata":{"finalizers":["b"],"$deleteFromPrimitiveList/finalizers":["a"]}}
            """);
        var result = StrategicMergePatch.Apply(BuiltInTypes.Nodes, node, patch);
        JsonNode.DeepEquals(result, Obj("""{"status":{"conditions":[{"type":"Ready","status":"True"}]},"metadata":{"finalizers":["b"]}}""")).ShouldBeTrue(result.ToJsonString());
    }

    [Fact]
    public void Schema_pruning_drops_undeclared_fields_keeps_preserved_ones_and_fills_defaults()
    {
        var schema = Obj("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "n":{"type":"integer","default":3},
              "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
              "items":{"type":"array","items":{"type":"object","properties":{"k":{"type":"string"}}}}}}}}
            """);
        var obj = Obj("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"a"},"spec":{"free":{"any":1},"items":[{"k":"v","junk":1}],"junk":true},"top":1}""");
        var pruned = SchemaPruner.Prune(schema, obj);
        pruned.ShouldBe(["spec.items[0].junk", "spec.junk", "top"], ignoreOrder: true);
        JsonNode.DeepEquals(obj, Obj("""{"apiVersion":"x/v1","kind":"K","metadata":{"name":"a"},"spec":{"free":{"any":1},"items":[{"k":"v"}],"n":3}}""")).ShouldBeTrue(obj.ToJsonString());
    }
}
