using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;
using static ServerlessCapi.EmbeddedApiServer.Tests.Admission.ClusterHttp;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>The object validation stage runs on every write, after mutating and before validating webhooks.</summary>
public sealed class ObjectValidationSeamTests(WebhookFixture f) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task The_stage_sees_the_mutated_object_and_its_rejection_stops_the_validating_webhooks()
    {
        var stage = new RejectLabelled();
        await using var server = await TestApiServer.StartAsync(new EmbeddedApiServerOptions { Webhooks = new WebhookOptions { ObjectValidation = stage } });
        using var c = new ClusterHttp(server, TestNames.Unique("seam"));

        // Without webhooks: the stage still runs, for creates and for patches (with the old object).
        (await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("direct", new Dictionary<string, string> { ["invalid"] = "1" })))).Code.ShouldBe(422);
        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("plain")));
        await c.OkAsync(c.PatchAsync("api/v1/namespaces/default/configmaps/plain", JsonNode.Parse("""{"data":{"k":"w"}}""")!));
        stage.Seen.ShouldContain(s => s.Operation == "UPDATE" && s.Name == "plain" && s.HadOld);

        var mutate = f.Webhooks.On($"/seam-mutate-{c.Cluster}", r =>
            r["object"]!["metadata"]!["name"]!.GetValue<string>() == "bad"
                ? TestWebhookServer.Patch("""[{"op":"add","path":"/metadata/labels","value":{"invalid":"1"}}]""")
                : TestWebhookServer.Allow());
        var validate = f.Webhooks.On($"/seam-validate-{c.Cluster}", _ => TestWebhookServer.Allow());
        await c.RegisterAsync("MutatingWebhookConfiguration", "m", Hook("m.test.example.com", mutate, f.Webhooks.CaBundle));
        await c.RegisterAsync("ValidatingWebhookConfiguration", "v", Hook("v.test.example.com", validate, f.Webhooks.CaBundle));

        var rejected = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("bad")));
        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("good")));

        rejected.Code.ShouldBe(422);
        rejected.Body.Str("message")!.ShouldContain("labelled invalid");
        f.Webhooks.Received($"/seam-validate-{c.Cluster}").Select(r => r.Str("name")).ShouldBe(["good"]);
    }

    private sealed class RejectLabelled : IObjectValidation
    {
        public ConcurrentQueue<(string Operation, string Name, bool HadOld)> Seen { get; } = new();

        public void Validate(AdmissionAttributes attributes, JsonObject obj, JsonObject? old)
        {
            Seen.Enqueue((attributes.Operation, attributes.Name, old is not null));
            if (obj["metadata"]?["labels"]?["invalid"] is not null)
                throw ApiException.Invalid("", attributes.Type.Kind, attributes.Name, "metadata.labels: labelled invalid");
        }
    }
}
