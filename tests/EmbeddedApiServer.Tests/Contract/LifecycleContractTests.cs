using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ServerlessCapi.Testing;
using static ServerlessCapi.EmbeddedApiServer.Tests.Contract.ContractTarget;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Finalizers, deletionTimestamp, garbage collection by owner references, and namespace deletion.</summary>
public sealed class LifecycleContractTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Merge = "application/merge-patch+json";

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Delete_with_a_finalizer_marks_the_object_and_clearing_it_removes_the_object(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var w = Widget("w");
        w["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        await t.CreateWidgetAsync(ns, w);

        var (code, deleting) = await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns, "w"));
        code.ShouldBe(200);
        deleting.Str("metadata.deletionTimestamp").ShouldNotBeNull();
        var kept = await t.GetWidgetAsync(ns, "w");
        kept.Str("metadata.deletionTimestamp").ShouldNotBeNull();
        kept.Long("metadata.generation").ShouldBe(2, "starting deletion moves the generation of a custom resource");

        var (rejected, _) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"),
            JsonNode.Parse("""{"metadata":{"finalizers":["example.com/hold","example.com/another"]}}"""), Merge);
        rejected.ShouldBe(422, "no new finalizers may be added while deleting");

        var (cleared, _) = await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), JsonNode.Parse("""{"metadata":{"finalizers":null}}"""), Merge);
        cleared.ShouldBe(200);
        (await t.GetWidgetAsync(ns, "w")).ShouldBeNull();
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Delete_preconditions_on_uid_are_enforced(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("w"));
        var options = new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["preconditions"] = new JsonObject { ["uid"] = Guid.NewGuid().ToString() } };
        var (code, status) = await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns, "w"), options);
        code.ShouldBe(409);
        status.Str("reason").ShouldBe("Conflict");
        (await t.GetWidgetAsync(ns, "w")).ShouldNotBeNull();
    }

    [Theory, InlineData(Embedded), ControllerManagerTargets]
    public async Task Background_deletion_collects_dependents_after_the_owner_is_gone(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var owner = await t.CreateWidgetAsync(ns, Widget("owner"));
        await t.Kube.CoreV1.CreateNamespacedConfigMapAsync(Dependent("dep", owner, block: false), ns);

        await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns, "owner") + "?propagationPolicy=Background");
        await WaitFor.ConditionAsync(async () => (await t.SendAsync(HttpMethod.Get, $"api/v1/namespaces/{ns}/configmaps/dep")).Code == 404,
            Timeout, "the dependent ConfigMap to be collected");
        (await t.GetWidgetAsync(ns, "owner")).ShouldBeNull();
    }

    [Theory, InlineData(Embedded), ControllerManagerTargets]
    public async Task A_dependent_written_after_its_owner_is_gone_is_collected(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var owner = await t.CreateWidgetAsync(ns, Widget("owner"));
        await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns, "owner"));
        await WaitFor.ConditionAsync(async () => await t.GetWidgetAsync(ns, "owner") is null, Timeout, "the owner gone");

        // A controller that read the owner before its deletion writes a dependent afterwards.
        await t.Kube.CoreV1.CreateNamespacedConfigMapAsync(Dependent("late", owner, block: false), ns);

        await WaitFor.ConditionAsync(async () => (await t.SendAsync(HttpMethod.Get, $"api/v1/namespaces/{ns}/configmaps/late")).Code == 404,
            Timeout, "the orphaned dependent to be collected");
    }

    [Theory, InlineData(Embedded), ControllerManagerTargets]
    public async Task Foreground_deletion_keeps_the_owner_until_blocking_dependents_are_gone(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var owner = await t.CreateWidgetAsync(ns, Widget("owner"));
        var dep = Dependent("dep", owner, block: true);
        dep.Metadata.Finalizers = ["example.com/hold"];
        await t.Kube.CoreV1.CreateNamespacedConfigMapAsync(dep, ns);

        await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns, "owner"),
            new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Foreground" });
        var waiting = await t.GetWidgetAsync(ns, "owner");
        waiting.ShouldNotBeNull();
        (waiting!["metadata"]!["finalizers"] as JsonArray)!.Select(f => f!.GetValue<string>()).ShouldContain("foregroundDeletion");
        await WaitFor.ConditionAsync(async () => (await t.Kube.CoreV1.ReadNamespacedConfigMapAsync("dep", ns)).Metadata.DeletionTimestamp is not null,
            Timeout, "the dependent to be marked for deletion");
        (await t.GetWidgetAsync(ns, "owner")).ShouldNotBeNull("a blocking dependent still exists");

        await t.SendAsync(HttpMethod.Patch, $"api/v1/namespaces/{ns}/configmaps/dep", JsonNode.Parse("""{"metadata":{"finalizers":null}}"""), Merge);
        await WaitFor.ConditionAsync(async () => await t.GetWidgetAsync(ns, "owner") is null, Timeout, "the owner to go once its dependent is gone");
    }

    [Theory, InlineData(Embedded), ControllerManagerTargets]
    public async Task Orphan_deletion_removes_owner_references_and_keeps_dependents(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var owner = await t.CreateWidgetAsync(ns, Widget("owner"));
        await t.Kube.CoreV1.CreateNamespacedConfigMapAsync(Dependent("dep", owner, block: false), ns);

        await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns, "owner") + "?propagationPolicy=Orphan");
        await WaitFor.ConditionAsync(async () => await t.GetWidgetAsync(ns, "owner") is null, Timeout, "the owner to go");
        var dep = await t.Kube.CoreV1.ReadNamespacedConfigMapAsync("dep", ns);
        (dep.Metadata.OwnerReferences ?? []).ShouldBeEmpty();
    }

    [Theory, InlineData(Embedded), ControllerManagerTargets]
    public async Task Deleting_a_namespace_deletes_what_it_contains(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("w"));
        await t.Kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns);

        var deleting = await t.Kube.CoreV1.DeleteNamespaceAsync(ns);
        deleting.ShouldNotBeNull();
        var (createCode, _) = await t.SendAsync(HttpMethod.Post, WidgetsPath(ns), Widget("late"));
        if (createCode != 404) createCode.ShouldBe(403, "a terminating namespace takes no new objects");
        await WaitFor.ConditionAsync(async () => (await t.SendAsync(HttpMethod.Get, $"api/v1/namespaces/{ns}")).Code == 404,
            TimeSpan.FromSeconds(90), "the namespace to be gone");
        (await t.SendAsync(HttpMethod.Get, $"api/v1/namespaces/{ns}/configmaps/c")).Code.ShouldBe(404);
    }

    private static V1ConfigMap Dependent(string name, JsonObject owner, bool block) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            OwnerReferences =
            [
                new V1OwnerReference
                {
                    ApiVersion = $"{Group}/{WidgetVersion}", Kind = "Widget", Name = owner.Str("metadata.name"),
                    Uid = owner.Str("metadata.uid"), BlockOwnerDeletion = block, Controller = true,
                },
            ],
        },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };
}
