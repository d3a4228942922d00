using System.Text.Json.Nodes;
using static ServerlessCapi.EmbeddedApiServer.Tests.Contract.ContractTarget;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Create, read, update semantics and error bodies of custom resources.</summary>
public sealed class CrudContractTests
{
    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Create_sets_uid_timestamp_generation_resourceVersion_and_schema_defaults(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var body = Widget("w1");
        ((JsonObject)body["spec"]!).Remove("replicas");
        body["spec"]!["undeclared"] = "dropped";
        var created = await t.CreateWidgetAsync(ns, body);

        created.Str("metadata.uid").ShouldNotBeNullOrEmpty();
        created.Str("metadata.creationTimestamp").ShouldNotBeNullOrEmpty();
        created.Long("metadata.generation").ShouldBe(1);
        created.Rv().ShouldBeGreaterThan(0);
        created.Long("spec.replicas").ShouldBe(1, "the schema default applies");
        created.At("spec.undeclared").ShouldBeNull("fields the schema does not declare are pruned");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Strict_field_validation_rejects_undeclared_fields(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var body = Widget("strict");
        body["spec"]!["undeclared"] = "x";
        var (code, status) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns) + "?fieldValidation=Strict", body);
        code.ShouldBe(400);
        status.Str("reason").ShouldBe("BadRequest");
        status.Str("message")!.ShouldContain("spec.undeclared");
        (await t.GetWidgetAsync(ns, "strict")).ShouldBeNull();

        var (ignored, _) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns) + "?fieldValidation=Ignore", body);
        ignored.ShouldBe(201);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task GenerateName_gives_each_create_its_own_name(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var names = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            var w = Widget("");
            var meta = (JsonObject)w["metadata"]!;
            meta.Remove("name");
            meta["generateName"] = "gen-";
            var created = await t.CreateWidgetAsync(ns, w);
            names.Add(created.Str("metadata.name")!);
        }
        names.Count.ShouldBe(3);
        names.ShouldAllBe(n => n.StartsWith("gen-", StringComparison.Ordinal) && n.Length > 4);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Duplicate_create_is_409_AlreadyExists_with_a_Status_body(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("dup"));
        var (code, status) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns), Widget("dup"));

        code.ShouldBe(409);
        status.Str("kind").ShouldBe("Status");
        status.Str("status").ShouldBe("Failure");
        status.Str("reason").ShouldBe("AlreadyExists");
        status.Long("code").ShouldBe(409);
        status.Str("details.name").ShouldBe("dup");
        status.Str("details.group").ShouldBe(Group);
        status.Str("details.kind").ShouldBe(Widgets);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Missing_object_is_404_NotFound_and_missing_namespace_rejects_create(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var (code, status) = await t.SendAsync(HttpMethod.Get, WidgetsPath(ns, "nope"));
        code.ShouldBe(404);
        status.Str("reason").ShouldBe("NotFound");
        status.Str("details.name").ShouldBe("nope");

        var (createCode, createStatus) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns + "-missing"), Widget("w"));
        createCode.ShouldBe(404);
        createStatus.Str("reason").ShouldBe("NotFound");
        createStatus.Str("details.kind").ShouldBe("namespaces");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Invalid_name_is_422_and_a_mismatched_apiVersion_is_400(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var (code, status) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns), Widget("Not_Valid"));
        code.ShouldBe(422);
        status.Str("reason").ShouldBe("Invalid");

        var mismatched = Widget("other");
        mismatched["apiVersion"] = "example.com/v9";
        var (mismatchCode, mismatch) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns), mismatched);
        mismatchCode.ShouldBe(400);
        mismatch.Str("reason").ShouldBe("BadRequest");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Update_with_a_stale_resourceVersion_is_409_Conflict(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var v1 = await t.CreateWidgetAsync(ns, Widget("w"));
        var v2 = (JsonObject)v1.DeepClone();
        v2["spec"]!["color"] = "red";
        var (ok, updated) = await t.SendAsync(HttpMethod.Put, WidgetsPath(ns, "w"), v2);
        ok.ShouldBe(200);
        updated.Rv().ShouldBeGreaterThan(v1.Rv());

        v1["spec"]!["color"] = "green";
        var (code, status) = await t.SendAsync(HttpMethod.Put, WidgetsPath(ns, "w"), v1);
        code.ShouldBe(409);
        status.Str("reason").ShouldBe("Conflict");
        (await t.GetWidgetAsync(ns, "w")).Str("spec.color").ShouldBe("red");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Generation_moves_on_spec_changes_only(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("w"));
        var merge = "application/merge-patch+json";

        var (_, labelled) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), JsonNode.Parse("""{"metadata":{"labels":{"a":"b"}}}"""), merge);
        labelled.Long("metadata.generation").ShouldBe(1);
        var (_, statused) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w", "status"), JsonNode.Parse("""{"status":{"phase":"Up"}}"""), merge);
        statused.Long("metadata.generation").ShouldBe(1);
        statused.Str("status.phase").ShouldBe("Up");
        var (_, specced) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), JsonNode.Parse("""{"spec":{"color":"red"}}"""), merge);
        specced.Long("metadata.generation").ShouldBe(2);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Status_subresource_separates_status_from_the_rest(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var created = await t.CreateWidgetAsync(ns, Widget("w"));

        var main = (JsonObject)created.DeepClone();
        main["status"] = new JsonObject { ["phase"] = "Ignored" };
        main["spec"]!["color"] = "red";
        var (_, afterMain) = await t.SendAsync(HttpMethod.Put, WidgetsPath(ns, "w"), main);
        afterMain.At("status").ShouldBeNull("status changes on the main resource are ignored");
        afterMain.Str("spec.color").ShouldBe("red");

        var status = (JsonObject)afterMain!.DeepClone();
        status["status"] = new JsonObject { ["phase"] = "Ready" };
        status["spec"]!["color"] = "green";
        var (code, afterStatus) = await t.SendAsync(HttpMethod.Put, WidgetsPath(ns, "w", "status"), status);
        code.ShouldBe(200);
        afterStatus.Str("status.phase").ShouldBe("Ready");
        afterStatus.Str("spec.color").ShouldBe("red", "the status subresource ignores everything but status");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task An_update_that_changes_nothing_keeps_the_resourceVersion(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var created = await t.CreateWidgetAsync(ns, Widget("w"));
        var (_, same) = await t.SendAsync(HttpMethod.Put, WidgetsPath(ns, "w"), created);
        same.Rv().ShouldBe(created.Rv());
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task DryRun_create_returns_the_object_without_storing_it(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var (code, body) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns) + "?dryRun=All", Widget("dry"));
        code.ShouldBe(201);
        body.Str("metadata.name").ShouldBe("dry");
        (await t.GetWidgetAsync(ns, "dry")).ShouldBeNull();
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Scale_subresource_reads_and_writes_spec_replicas(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("w", replicas: 2));
        var (code, scale) = await t.SendAsync(HttpMethod.Get, WidgetsPath(ns, "w", "scale"));
        code.ShouldBe(200);
        scale.Str("kind").ShouldBe("Scale");
        scale.Long("spec.replicas").ShouldBe(2);

        var (patched, _) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w", "scale"),
            JsonNode.Parse("""{"spec":{"replicas":5}}"""), "application/merge-patch+json");
        patched.ShouldBe(200);
        (await t.GetWidgetAsync(ns, "w")).Long("spec.replicas").ShouldBe(5);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task ResourceVersions_increase_across_objects_and_lists_report_one(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var a = await t.CreateWidgetAsync(ns, Widget("a"));
        var b = await t.CreateWidgetAsync(ns, Widget("b"));
        b.Rv().ShouldBeGreaterThan(a.Rv());
        var (_, list) = await t.SendAsync(HttpMethod.Get, WidgetsPath(ns));
        list.Rv().ShouldBeGreaterThanOrEqualTo(b.Rv());
        list.Str("kind").ShouldBe("WidgetList");
        (list!["items"] as JsonArray)!.Count.ShouldBe(2);
    }
}
