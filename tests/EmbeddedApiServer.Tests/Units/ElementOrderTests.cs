using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Patch;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units;

/// <summary>Strategic merge patch keeps list order as apimachinery does, with and without $setElementOrder.</summary>
public sealed class ElementOrderTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static string Finalizers(string server, string patch) =>
        StrategicMergePatch.Apply(BuiltInTypes.Nodes, Obj($$$"""{"metadata":{"finalizers":{{{server}}}}}"""), Obj(patch))["metadata"]!["finalizers"]!.ToJsonString();

    [Fact]
    public void Without_a_directive_the_patch_s_items_lead_and_server_items_keep_their_places()
    {
        // Answers of a real kube-apiserver v1.36 for the same lists.
        Finalizers("""["a"]""", """{"metadata":{"finalizers":["b"]}}""").ShouldBe("""["b","a"]""");
        Finalizers("""["b","a"]""", """{"metadata":{"finalizers":["c","a"]}}""").ShouldBe("""["c","b","a"]""");
        Finalizers("""["a","c"]""", """{"metadata":{"finalizers":["c","b"]}}""").ShouldBe("""["a","c","b"]""");
        Finalizers("""["c","a"]""", """{"metadata":{"finalizers":["b","d"]}}""").ShouldBe("""["b","d","c","a"]""");
    }

    [Fact]
    public void The_directive_orders_the_items_it_names()
    {
        Finalizers("""["a","b","c"]""", """{"metadata":{"$setElementOrder/finalizers":["c","a","b"]}}""").ShouldBe("""["c","a","b"]""");
        Finalizers("""["a","b"]""", """{"metadata":{"$setElementOrder/finalizers":["b","c"],"finalizers":["c"]}}""").ShouldBe("""["a","b","c"]""");
    }

    [Fact]
    public void Server_only_items_keep_their_place_relative_to_the_server_list()
    {
        Finalizers("""["x","a","y","b"]""", """{"metadata":{"$setElementOrder/finalizers":["b","a"]}}""").ShouldBe("""["x","y","b","a"]""");
        Finalizers("""["a","b"]""", """{"metadata":{"$setElementOrder/finalizers":["a"],"$deleteFromPrimitiveList/finalizers":["b"]}}""").ShouldBe("""["a"]""");
    }

    [Fact]
    public void Lists_of_objects_are_ordered_by_their_merge_key()
    {
        var node = Obj("""{"status":{"conditions":[{"type":"A","status":"True"},{"type":"B","status":"True"}]}}""");
        var patch = Obj("""{"status":{"$setElementOrder/conditions":[{"type":"B"},{"type":"C"},{"type":"A"}],"conditions":[{"type":"C","status":"False"}]}}""");
        var result = StrategicMergePatch.Apply(BuiltInTypes.Nodes, node, patch);
        ((JsonArray)result["status"]!["conditions"]!).Select(c => c!["type"]!.GetValue<string>()).ShouldBe(["B", "C", "A"]);
    }
}
