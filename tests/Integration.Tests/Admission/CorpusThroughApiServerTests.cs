using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using ServerlessCapi.Admission.Tests;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;

namespace ServerlessCapi.Integration.Tests.Admission;

/// <summary>Every case of the admission corpus sent through the embedded API server with the real KubernetesClient,
/// with CAPI's CRDs installed and the app's webhooks registered: the answer is the corpus's (or the API server note of
/// the case, where a real API server answers differently), and every sample is admitted.</summary>
public sealed class CorpusThroughApiServerTests(WebhookApps f) : IClassFixture<WebhookApps>
{
    public static TheoryData<string> CaseIds() => [.. AdmissionCaseCorpus.Cases.Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public async Task Case_is_answered_through_the_API_server_as_expected(string id)
    {
        var c = AdmissionCaseCorpus.Find(id);
        var expected = c.ThroughApiServer ?? new ApiServerExpectation(c.Allowed, c.Code, c.Messages, null);
        var ns = await NamespaceAsync(c);
        await f.UseAsync(c.Options);

        if (c.OldObject is { } old)
        {
            // The stored object is what the API server admitted: the old object after defaulting. It is created with
            // the ClusterTopology gate on, as a real cluster holds templates and topologies created while it was
            // (CAPI refuses creating them without it, not updating them).
            await f.UseAsync(c.Options with { ClusterTopology = true });
            var stored = await WriteAsync(c, InNamespace(old, ns), resourceVersion: null);
            stored.Error.ShouldBeNull($"the old object of {c.Id} is refused");
            await f.UseAsync(c.Options);
        }
        var current = c.OldObject is null ? null : await GetAsync(c, ns);
        var result = await WriteAsync(c, InNamespace(c.Object, ns), current?["metadata"]?["resourceVersion"]?.GetValue<string>());

        if (expected.Allowed)
        {
            result.Error.ShouldBeNull();
            foreach (var (pointer, value) in c.Defaulted)
                JsonNode.DeepEquals(At(result.Object!, pointer), value).ShouldBeTrue($"{pointer} is {At(result.Object!, pointer)?.ToJsonString() ?? "missing"}");
            return;
        }
        var error = result.Error.ShouldNotBeNull("the API server admitted it");
        ((int)error.Code).ShouldBe(expected.Code ?? 422, error.Message);
        foreach (var message in expected.Messages)
            error.Message.ShouldContain(message, Case.Sensitive, error.Message);
    }

    [Fact]
    public async Task Every_sample_is_admitted()
    {
        // As `./scapi up` serves them: with the ClusterTopology gate on (the ClusterClass sample needs it).
        await f.UseAsync(new global::ServerlessCapi.Admission.AdmissionOptions { ClusterTopology = true });
        var samples = Directory.GetFiles(Path.Combine(RepoPaths.Root, "samples"), "*.yaml").Order(StringComparer.Ordinal).ToList();
        samples.ShouldNotBeEmpty();
        foreach (var sample in samples)
        {
            var ns = $"sample-{Path.GetFileNameWithoutExtension(sample)}";
            await f.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
            var objects = ManifestApplier.Parse((await File.ReadAllTextAsync(sample)).Replace("namespace: default", $"namespace: {ns}", StringComparison.Ordinal));
            var applied = await new ManifestApplier(f.Kube).ApplyAsync(objects, ns);
            applied.Count.ShouldBe(objects.Count);
            // Admitted through the defaulting webhooks: every Cluster API object carries the cluster-name label they add.
            foreach (var obj in applied.Where(o => o["spec"]?["clusterName"] is not null))
                obj["metadata"]!["labels"]?["cluster.x-k8s.io/cluster-name"]?.GetValue<string>().ShouldBe(obj["spec"]!["clusterName"]!.GetValue<string>(), $"{Path.GetFileName(sample)}: {obj["kind"]} {obj["metadata"]!["name"]}");
        }
    }

    private sealed record Outcome(JsonObject? Object, (HttpStatusCode Code, string Message)? Error);

    private async Task<Outcome> WriteAsync(AdmissionCase c, JsonObject obj, string? resourceVersion)
    {
        var (group, version, plural) = Resource(obj);
        var ns = obj["metadata"]!["namespace"]!.GetValue<string>();
        try
        {
            object answer;
            if (resourceVersion is null)
            {
                answer = await f.Client.CustomObjects.CreateNamespacedCustomObjectAsync(obj, group, version, ns, plural);
            }
            else
            {
                obj["metadata"]!["resourceVersion"] = resourceVersion;
                answer = await f.Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(obj, group, version, ns, plural, obj["metadata"]!["name"]!.GetValue<string>());
            }
            return new Outcome(JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(answer))!.AsObject(), null);
        }
        catch (HttpOperationException e)
        {
            var status = JsonNode.Parse(e.Response.Content) as JsonObject;
            return new Outcome(null, (e.Response.StatusCode, status?["message"]?.GetValue<string>() ?? e.Response.Content));
        }
    }

    private async Task<JsonObject?> GetAsync(AdmissionCase c, string ns)
    {
        var (group, version, plural) = Resource(c.Object);
        var answer = await f.Client.CustomObjects.GetNamespacedCustomObjectAsync(group, version, ns, plural, c.Object["metadata"]!["name"]!.GetValue<string>());
        return JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(answer)) as JsonObject;
    }

    /// <summary>Each case in its own namespace, so names from the corpus's bases never collide.</summary>
    private async Task<string> NamespaceAsync(AdmissionCase c)
    {
        var ns = $"case-{AdmissionCaseCorpus.Cases.ToList().IndexOf(c)}";
        await f.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return ns;
    }

    private static JsonObject InNamespace(JsonObject obj, string ns)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["metadata"]!["namespace"] = ns;
        return copy;
    }

    private static (string Group, string Version, string Plural) Resource(JsonObject obj)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>().Split('/');
        var kind = global::ServerlessCapi.Api.CapiKinds.Find(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>())
            ?? throw new InvalidOperationException($"{obj["kind"]} is not a served kind");
        return (apiVersion[0], apiVersion[1], kind.Plural);
    }

    private static JsonNode? At(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var token in pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)))
            node = node is JsonObject o ? o[token] : node is JsonArray a && int.TryParse(token, out var i) && i < a.Count ? a[i] : null;
        return node;
    }
}
