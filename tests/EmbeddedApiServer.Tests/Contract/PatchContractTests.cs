using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using static ServerlessCapi.EmbeddedApiServer.Tests.Contract.ContractTarget;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Merge, JSON, strategic merge patches and server-side apply.</summary>
public sealed class PatchContractTests
{
    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Merge_patch_merges_maps_and_null_deletes(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("w", labels: new() { ["keep"] = "1", ["drop"] = "1" }));
        var patch = new V1Patch("""{"metadata":{"labels":{"drop":null,"add":"2"}},"spec":{"color":"red"}}""", V1Patch.PatchType.MergePatch);
        var result = ToJson(await t.Kube.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Group, WidgetVersion, ns, Widgets, "w"));

        result.Str("spec.color").ShouldBe("red");
        result.Long("spec.replicas").ShouldBe(1);
        result.Str("metadata.labels.keep").ShouldBe("1");
        result.Str("metadata.labels.add").ShouldBe("2");
        result.At("metadata.labels.drop").ShouldBeNull();
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Json_patch_applies_operations_and_a_failed_test_rejects_the_whole_patch(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("w", replicas: 2));
        const string type = "application/json-patch+json";
        var ok = JsonNode.Parse("""[{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/replicas","value":4},{"op":"add","path":"/spec/sizes","value":["s"]},{"op":"add","path":"/spec/sizes/-","value":"m"}]""");
        var (code, patched) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), ok, type);
        code.ShouldBe(200);
        patched.Long("spec.replicas").ShouldBe(4);
        (patched.At("spec.sizes") as JsonArray)!.Select(s => s!.GetValue<string>()).ShouldBe(["s", "m"]);

        var failing = JsonNode.Parse("""[{"op":"replace","path":"/spec/color","value":"red"},{"op":"test","path":"/spec/replicas","value":99}]""");
        var (failed, status) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), failing, type);
        failed.ShouldBe(422);
        status.Str("kind").ShouldBe("Status");
        (await t.GetWidgetAsync(ns, "w")).Str("spec.color").ShouldBe("blue");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Strategic_merge_patch_merges_built_in_lists_by_key_and_is_refused_for_custom_resources(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.Kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "c", Finalizers = ["example.com/a"] },
            Data = new Dictionary<string, string> { ["x"] = "1" },
        }, ns);
        var patch = new V1Patch("""{"metadata":{"finalizers":["example.com/b"]},"data":{"y":"2"}}""", V1Patch.PatchType.StrategicMergePatch);
        var cm = await t.Kube.CoreV1.PatchNamespacedConfigMapAsync(patch, "c", ns);
        cm.Metadata.Finalizers.ShouldBe(["example.com/b", "example.com/a"], customMessage: "finalizers merge as a set, the patch's items first");
        cm.Data.ShouldBe(new Dictionary<string, string> { ["x"] = "1", ["y"] = "2" });
        await t.Kube.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "c", ns);

        await t.CreateWidgetAsync(ns, Widget("w"));
        var (code, _) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), JsonNode.Parse("""{"spec":{"color":"red"}}"""), "application/strategic-merge-patch+json");
        code.ShouldBe(415);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Server_side_apply_creates_then_merges_and_requires_a_field_manager(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var applied = Widget("w", replicas: 2, color: "blue");
        applied["spec"]!["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["port"] = 80 });
        var patch = new V1Patch(applied.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        var created = ToJson(await t.Kube.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Group, WidgetVersion, ns, Widgets, "w", fieldManager: "tests", force: true));
        created.Long("spec.replicas").ShouldBe(2);

        var second = Widget("w");
        second["spec"] = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["name"] = "metrics", ["port"] = 9090 }) };
        var merged = ToJson(await t.Kube.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(second.ToJsonString(), V1Patch.PatchType.ApplyPatch), Group, WidgetVersion, ns, Widgets, "w", fieldManager: "other", force: true));
        merged.Str("spec.color").ShouldBe("blue", "fields of another manager stay");
        (merged.At("spec.ports") as JsonArray)!.Select(p => p.Str("name")).Order(StringComparer.Ordinal).ToList().ShouldBe(["http", "metrics"], customMessage: "list-map entries merge by key");

        var (code, status) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), second, "application/apply-patch+yaml");
        code.ShouldBe(422, "apply needs a field manager");
        status.Str("reason").ShouldBe("Invalid");
        status.Str("message").ShouldBe("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    }
}
