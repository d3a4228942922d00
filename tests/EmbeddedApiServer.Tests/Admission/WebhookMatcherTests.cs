using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>Rule and selector matching as kube-apiserver's webhook rule matcher decides it.</summary>
public sealed class WebhookMatcherTests
{
    [Theory]
    [InlineData("configmaps", null, true)]
    [InlineData("configmaps", "status", false)]
    [InlineData("*", null, true)]
    [InlineData("*", "status", false)]
    [InlineData("*/*", null, true)]
    [InlineData("*/*", "status", true)]
    [InlineData("configmaps/*", "status", true)]
    [InlineData("configmaps/*", null, true)] // as in kube: a "*" subresource also matches the resource itself
    [InlineData("*/status", "status", true)]
    [InlineData("*/status", "scale", false)]
    [InlineData("secrets", null, false)]
    public void Resources_match_the_resource_and_subresource(string resource, string? subresource, bool matches)
    {
        var hook = Hook(new WebhookRule(["*"], ["*"], ["*"], [resource], "*"));
        var attrs = Attrs(BuiltInTypes.ConfigMaps, "CREATE") with { Subresource = subresource };
        (WebhookMatcher.MatchVersion(hook, attrs) is not null).ShouldBe(matches);
    }

    [Theory]
    [InlineData("Namespaced", "configmaps", true)]
    [InlineData("Namespaced", "nodes", false)]
    [InlineData("Cluster", "nodes", true)]
    [InlineData("Cluster", "configmaps", false)]
    [InlineData("*", "nodes", true)]
    public void Scope_separates_namespaced_and_cluster_resources(string scope, string plural, bool matches)
    {
        var type = plural == "nodes" ? BuiltInTypes.Nodes : BuiltInTypes.ConfigMaps;
        var hook = Hook(new WebhookRule(["CREATE"], [""], ["v1"], ["*"], scope));
        (WebhookMatcher.MatchVersion(hook, Attrs(type, "CREATE")) is not null).ShouldBe(matches);
    }

    [Fact]
    public void Operations_and_groups_must_match()
    {
        var hook = Hook(new WebhookRule(["UPDATE"], ["apps"], ["*"], ["*"], "*"));
        WebhookMatcher.MatchVersion(hook, Attrs(BuiltInTypes.ConfigMaps, "UPDATE")).ShouldBeNull();
        WebhookMatcher.MatchVersion(hook with { Rules = [new WebhookRule(["UPDATE"], [""], ["*"], ["*"], "*")] }, Attrs(BuiltInTypes.ConfigMaps, "CREATE")).ShouldBeNull();
        WebhookMatcher.MatchVersion(hook with { Rules = [new WebhookRule(["*"], [""], ["*"], ["*"], "*")] }, Attrs(BuiltInTypes.ConfigMaps, "DELETE")).ShouldBe("v1");
    }

    [Fact]
    public void Label_selectors_support_match_labels_and_every_operator()
    {
        var labels = new Dictionary<string, string> { ["tier"] = "web", ["env"] = "prod" };
        Selects("""{"matchLabels":{"tier":"web"}}""", labels).ShouldBeTrue();
        Selects("""{"matchLabels":{"tier":"db"}}""", labels).ShouldBeFalse();
        Selects("""{"matchExpressions":[{"key":"env","operator":"In","values":["prod","stage"]}]}""", labels).ShouldBeTrue();
        Selects("""{"matchExpressions":[{"key":"env","operator":"NotIn","values":["prod"]}]}""", labels).ShouldBeFalse();
        Selects("""{"matchExpressions":[{"key":"team","operator":"NotIn","values":["a"]}]}""", labels).ShouldBeTrue();
        Selects("""{"matchExpressions":[{"key":"team","operator":"Exists"}]}""", labels).ShouldBeFalse();
        Selects("""{"matchExpressions":[{"key":"team","operator":"DoesNotExist"}]}""", labels).ShouldBeTrue();
    }

    [Fact]
    public void The_namespace_selector_reads_a_Namespace_own_labels_and_ignores_cluster_scoped_resources()
    {
        var hook = Hook(new WebhookRule(["*"], ["*"], ["*"], ["*"], "*")) with
        {
            NamespaceSelector = JsonNode.Parse("""{"matchLabels":{"watched":"yes"}}""")!.AsObject(),
        };
        var ns = JsonNode.Parse("""{"metadata":{"name":"n","labels":{"watched":"yes"}}}""")!.AsObject();
        WebhookMatcher.SelectorsMatch(hook, Attrs(BuiltInTypes.Namespaces, "CREATE"), ns, null, _ => null).ShouldBeTrue();
        WebhookMatcher.SelectorsMatch(hook, Attrs(BuiltInTypes.Namespaces, "CREATE"), new JsonObject(), null, _ => null).ShouldBeFalse();
        WebhookMatcher.SelectorsMatch(hook, Attrs(BuiltInTypes.Nodes, "CREATE"), new JsonObject(), null, _ => null).ShouldBeTrue();
        var inWatched = Attrs(BuiltInTypes.ConfigMaps, "CREATE") with { Namespace = "w" };
        WebhookMatcher.SelectorsMatch(hook, inWatched, new JsonObject(), null, n => n == "w" ? new Dictionary<string, string> { ["watched"] = "yes" } : null).ShouldBeTrue();
        WebhookMatcher.SelectorsMatch(hook, inWatched, new JsonObject(), null, _ => null).ShouldBeFalse();
    }

    private static bool Selects(string selector, Dictionary<string, string> labels) =>
        WebhookMatcher.Selects(JsonNode.Parse(selector)!.AsObject(), labels);

    private static Webhook Hook(WebhookRule rule) => new() { ConfigurationName = "c", Name = "h.test.example.com", Mutating = false, Rules = [rule] };

    private static AdmissionAttributes Attrs(ResourceType type, string op) => new() { Operation = op, Type = type, Version = "v1" };
}
