using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Api.Tests;

/// <summary>The management-cluster ClusterRole in infra/rbac grants what the app does with every served kind.</summary>
public class RbacTests
{
    private static readonly string[] Full = ["get", "list", "watch", "create", "update", "patch", "delete"];

    private static List<JsonObject> Rules()
    {
        var docs = YamlJson.LoadAll(File.ReadAllText(Path.Combine(TestFiles.RepoRoot, "infra", "rbac", "serverless-capi.yaml")))
            .OfType<JsonObject>().ToList();
        var role = docs.Single(d => d["kind"]?.GetValue<string>() == "ClusterRole");
        return role["rules"]!.AsArray().OfType<JsonObject>().ToList();
    }

    private static bool Allows(List<JsonObject> rules, string group, string resource, string verb) =>
        rules.Any(r =>
            Strings(r["apiGroups"]).Contains(group)
            && Strings(r["resources"]).Any(p => p == resource || p == "*" || (p.StartsWith("*/", StringComparison.Ordinal) && resource.EndsWith(p[1..], StringComparison.Ordinal)))
            && Strings(r["verbs"]).Any(v => v == verb || v == "*"));

    private static List<string> Strings(JsonNode? node) => node?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];

    [Fact]
    public void Every_served_kind_its_status_and_finalizers_are_granted_in_full()
    {
        var rules = Rules();
        foreach (var kind in CapiKinds.All)
        {
            foreach (var resource in new[] { kind.Plural, $"{kind.Plural}/status", $"{kind.Plural}/finalizers" })
            {
                foreach (var verb in Full)
                    Allows(rules, kind.Group, resource, verb).ShouldBeTrue($"{verb} {resource}.{kind.Group}");
            }
        }
    }

    [Fact]
    public void Secrets_are_writable_and_nothing_else_of_the_core_group_is()
    {
        var rules = Rules();
        foreach (var verb in Full) Allows(rules, "", "secrets", verb).ShouldBeTrue(verb);
        Allows(rules, "", "namespaces", "list").ShouldBeTrue();
        Allows(rules, "", "namespaces", "delete").ShouldBeFalse();
        Allows(rules, "", "pods", "get").ShouldBeFalse();
        Allows(rules, "", "nodes", "list").ShouldBeFalse("Nodes are read in workload clusters, not the management cluster");
    }

    [Fact]
    public void Events_can_be_recorded_and_their_series_raised_but_not_deleted()
    {
        var rules = Rules();
        foreach (var group in new[] { "events.k8s.io", "" })
        {
            foreach (var verb in new[] { "get", "create", "update", "patch" })
                Allows(rules, group, "events", verb).ShouldBeTrue($"{verb} events.{group}");
            Allows(rules, group, "events", "delete").ShouldBeFalse($"delete events.{group}");
        }
    }
}
