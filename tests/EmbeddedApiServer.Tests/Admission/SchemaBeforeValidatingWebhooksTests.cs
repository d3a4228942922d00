using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;
using static ServerlessCapi.EmbeddedApiServer.Tests.Admission.ClusterHttp;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>kube-apiserver's order for custom resources: mutating webhooks, then the CRD's schema and CEL rules (on the
/// mutated, pruned and defaulted object), then validating webhooks, which never see an object the schema refuses.</summary>
public sealed class SchemaBeforeValidatingWebhooksTests(WebhookFixture f) : IClassFixture<WebhookFixture>
{
    private const string Things = "apis/example.com/v1/namespaces/default/things";

    [Fact]
    public async Task A_validating_webhook_never_sees_an_object_the_schema_or_its_rules_refuse()
    {
        using var c = new ClusterHttp(f.Server, TestNames.Unique("order"));
        await c.OkAsync(c.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", Crd()));
        var mutatePath = $"/order-mutate-{c.Cluster}";
        var validatePath = $"/order-validate-{c.Cluster}";
        // The mutating webhook breaks objects labelled break=yes: the schema must see what the webhook made.
        var mutate = f.Webhooks.On(mutatePath, r =>
            r["object"]?["metadata"]?["labels"]?["break"]?.GetValue<string>() == "yes"
                ? TestWebhookServer.Patch("""[{"op":"replace","path":"/spec/replicas","value":-1}]""")
                : TestWebhookServer.Allow());
        var validate = f.Webhooks.On(validatePath, _ => TestWebhookServer.Allow());
        await c.RegisterAsync("MutatingWebhookConfiguration", "m", Hook("m.order.example.com", mutate, f.Webhooks.CaBundle, ["things"], group: "example.com"));
        await c.RegisterAsync("ValidatingWebhookConfiguration", "v", Hook("v.order.example.com", validate, f.Webhooks.CaBundle, ["things"], group: "example.com"));

        // Create: a bound, a CEL rule, and a mutation that breaks the bound.
        var tooMany = await c.SendForStatusAsync(c.PostAsync(Things, Thing("too-many", replicas: 11)));
        var ruleBroken = await c.SendForStatusAsync(c.PostAsync(Things, Thing("rule", replicas: 2, min: 3)));
        var mutatedBad = await c.SendForStatusAsync(c.PostAsync(Things, Thing("mutated", replicas: 1, labels: new() { ["break"] = "yes" })));
        await c.OkAsync(c.PostAsync(Things, Thing("good", replicas: 1)));
        // Update (PUT), merge patch and server-side apply of the stored object into something the schema refuses.
        var stored = await c.OkAsync(c.GetAsync($"{Things}/good"));
        stored["spec"]!["replicas"] = 12;
        var put = await c.SendForStatusAsync(c.PutAsync($"{Things}/good", stored));
        var patch = await c.SendForStatusAsync(c.PatchAsync($"{Things}/good", JsonNode.Parse("""{"spec":{"replicas":13}}""")!));
        var apply = await c.SendForStatusAsync(c.PatchAsync($"{Things}/good?fieldManager=test&force=true", Thing("good", replicas: 1, min: 5), "application/apply-patch+yaml"));

        tooMany.Code.ShouldBe(422);
        tooMany.Body.Str("message")!.ShouldContain("spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10");
        ruleBroken.Code.ShouldBe(422);
        ruleBroken.Body.Str("message")!.ShouldContain("min must not exceed replicas");
        mutatedBad.Code.ShouldBe(422);
        mutatedBad.Body.Str("message")!.ShouldContain("spec.replicas: Invalid value: -1");
        foreach (var refused in new[] { put, patch, apply })
        {
            refused.Code.ShouldBe(422);
            refused.Body.Str("message")!.ShouldStartWith("Thing.example.com \"good\" is invalid: ");
        }
        // The mutating webhook saw every request; the validating one only the object the schema admitted.
        f.Webhooks.Received(mutatePath).Count.ShouldBe(7);
        var seen = f.Webhooks.Received(validatePath);
        seen.Select(r => r.Str("name")).ShouldBe(["good"]);
        seen.Single().Long("object.spec.replicas").ShouldBe(1);
        (await c.OkAsync(c.GetAsync($"{Things}/good"))).Long("spec.replicas").ShouldBe(1);
    }

    private static JsonObject Thing(string name, int replicas, int? min = null, Dictionary<string, string>? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null) meta["labels"] = new JsonObject(labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        var spec = new JsonObject { ["replicas"] = replicas };
        if (min is { } m) spec["min"] = m;
        return new JsonObject { ["apiVersion"] = "example.com/v1", ["kind"] = "Thing", ["metadata"] = meta, ["spec"] = spec };
    }

    private static JsonObject Crd() => JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": {"name": "things.example.com"},
          "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": {"plural": "things", "singular": "thing", "kind": "Thing", "listKind": "ThingList"},
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": {
                    "type": "object",
                    "properties": {
                      "replicas": {"type": "integer", "minimum": 0, "maximum": 10},
                      "min": {"type": "integer"}
                    },
                    "x-kubernetes-validations": [{"rule": "!has(self.min) || self.min <= self.replicas", "message": "min must not exceed replicas"}]
                  }
                }
              }}
            }]
          }
        }
        """)!.AsObject();
}
