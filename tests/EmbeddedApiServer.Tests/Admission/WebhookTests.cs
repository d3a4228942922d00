using System.Net.Sockets;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;
using static ServerlessCapi.EmbeddedApiServer.Tests.Admission.ClusterHttp;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>Registered admission webhooks are called over HTTPS as kube-apiserver calls them.</summary>
public sealed class WebhookTests(WebhookFixture f) : IClassFixture<WebhookFixture>
{
    private const string Mutating = "MutatingWebhookConfiguration";
    private const string Validating = "ValidatingWebhookConfiguration";

    private ClusterHttp NewCluster() => new(f.Server, TestNames.Unique("wh"));

    [Fact]
    public async Task A_denial_carries_the_webhooks_code_and_message_and_warnings_and_ends_when_the_configuration_is_deleted()
    {
        using var c = NewCluster();
        var url = f.Webhooks.On($"/deny-{c.Cluster}", _ =>
        {
            var deny = TestWebhookServer.Deny(403, "configmaps are frozen");
            deny["warnings"] = new JsonArray("think twice");
            return deny;
        });
        await c.RegisterAsync(Validating, "freeze", Hook("deny.test.example.com", url, f.Webhooks.CaBundle));

        var (code, body, warnings) = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("a")));

        code.ShouldBe(403);
        body.Str("kind").ShouldBe("Status");
        body.Str("reason").ShouldBe("Forbidden");
        body.Str("message").ShouldBe("admission webhook \"deny.test.example.com\" denied the request: configmaps are frozen");
        warnings.ShouldBe(["299 - \"think twice\""]);
        (await c.SendForStatusAsync(c.GetAsync("api/v1/namespaces/default/configmaps/a"))).Code.ShouldBe(404);

        await c.OkAsync(c.DeleteAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/freeze"));
        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("a")));
    }

    [Fact]
    public async Task A_mutation_is_stored_and_the_validating_webhook_sees_the_mutated_object()
    {
        using var c = NewCluster();
        var mutate = f.Webhooks.On($"/mutate-{c.Cluster}", _ => TestWebhookServer.Patch("""[{"op":"add","path":"/metadata/labels","value":{"stamped":"yes"}}]"""));
        var validate = f.Webhooks.On($"/validate-{c.Cluster}", _ => TestWebhookServer.Allow());
        await c.RegisterAsync(Validating, "check", Hook("check.test.example.com", validate, f.Webhooks.CaBundle));
        await c.RegisterAsync(Mutating, "stamp", Hook("stamp.test.example.com", mutate, f.Webhooks.CaBundle));

        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("m")));

        var stored = await c.OkAsync(c.GetAsync("api/v1/namespaces/default/configmaps/m"));
        stored.Str("metadata.labels.stamped").ShouldBe("yes");
        var mutatingSaw = f.Webhooks.Received($"/mutate-{c.Cluster}").ShouldHaveSingleItem();
        mutatingSaw.Str("operation").ShouldBe("CREATE");
        mutatingSaw.Str("namespace").ShouldBe("default");
        mutatingSaw.Str("name").ShouldBe("m");
        mutatingSaw.Str("kind.kind").ShouldBe("ConfigMap");
        mutatingSaw.Str("resource.resource").ShouldBe("configmaps");
        mutatingSaw.Str("userInfo.username").ShouldNotBeNullOrEmpty();
        mutatingSaw["object"]!["metadata"]!["labels"].ShouldBeNull();
        var validatingSaw = f.Webhooks.Received($"/validate-{c.Cluster}").ShouldHaveSingleItem();
        validatingSaw.Str("object.metadata.labels.stamped").ShouldBe("yes");
        validatingSaw.Str("object.metadata.uid").ShouldBe(stored.Str("metadata.uid"));
        validatingSaw.Str("object.metadata.creationTimestamp").ShouldBe(stored.Str("metadata.creationTimestamp"));
    }

    [Fact]
    public async Task An_update_sends_the_old_object_and_an_IfNeeded_webhook_runs_again_after_a_later_change()
    {
        using var c = NewCluster();
        var first = f.Webhooks.On($"/first-{c.Cluster}", _ => TestWebhookServer.Allow());
        var second = f.Webhooks.On($"/second-{c.Cluster}", r =>
            r["object"]!["metadata"]!["annotations"]?["touched"] is null
                ? TestWebhookServer.Patch("""[{"op":"add","path":"/metadata/annotations","value":{"touched":"1"}}]""")
                : TestWebhookServer.Allow());
        var firstHook = Hook("first.test.example.com", first, f.Webhooks.CaBundle, operations: ["UPDATE"]);
        firstHook["reinvocationPolicy"] = "IfNeeded";
        await c.RegisterAsync(Mutating, "a-first", firstHook);
        await c.RegisterAsync(Mutating, "b-second", Hook("second.test.example.com", second, f.Webhooks.CaBundle, operations: ["UPDATE"]));
        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("u")));

        await c.OkAsync(c.PatchAsync("api/v1/namespaces/default/configmaps/u", JsonNode.Parse("""{"data":{"k":"changed"}}""")!));

        (await c.OkAsync(c.GetAsync("api/v1/namespaces/default/configmaps/u"))).Str("metadata.annotations.touched").ShouldBe("1");
        var firstCalls = f.Webhooks.Received($"/first-{c.Cluster}");
        firstCalls.Count.ShouldBe(2);
        firstCalls[0].Str("operation").ShouldBe("UPDATE");
        firstCalls[0].Str("oldObject.data.k").ShouldBe("v");
        firstCalls[0].Str("object.data.k").ShouldBe("changed");
        firstCalls[1].Str("object.metadata.annotations.touched").ShouldBe("1");
        f.Webhooks.Received($"/second-{c.Cluster}").Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("Fail", 500)]
    [InlineData("Ignore", 201)]
    public async Task An_unreachable_webhook_fails_the_request_or_is_ignored_by_failure_policy(string policy, int expected)
    {
        using var c = NewCluster();
        await c.RegisterAsync(Validating, "gone", Hook("gone.test.example.com", $"https://127.0.0.1:{ClosedPort()}/x", f.Webhooks.CaBundle, failurePolicy: policy));

        var (code, body, _) = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("x")));

        code.ShouldBe(expected);
        if (expected == 500)
        {
            body.Str("reason").ShouldBe("InternalError");
            body.Str("message")!.ShouldStartWith("Internal error occurred: failed calling webhook \"gone.test.example.com\": failed to call webhook: Post \"https://127.0.0.1:");
        }
    }

    [Theory]
    [InlineData("Fail", 500)]
    [InlineData("Ignore", 201)]
    public async Task A_webhook_that_does_not_answer_within_its_timeout_fails_or_is_ignored(string policy, int expected)
    {
        using var c = NewCluster();
        var url = f.Webhooks.On($"/hang-{c.Cluster}-{policy}", _ => null);
        await c.RegisterAsync(Validating, "slow", Hook("slow.test.example.com", url, f.Webhooks.CaBundle, failurePolicy: policy, timeoutSeconds: 1));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var (code, body, _) = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("t")));

        code.ShouldBe(expected);
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        f.Webhooks.Received($"/hang-{c.Cluster}-{policy}").ShouldHaveSingleItem();
        if (expected == 500) body.Str("message")!.ShouldEndWith("?timeout=1s\": context deadline exceeded");
    }

    [Theory]
    [InlineData("Fail")]
    [InlineData("Ignore")]
    public async Task A_non_200_answer_or_a_malformed_review_fails_or_is_ignored_by_failure_policy(string policy)
    {
        using var c = NewCluster();
        var missing = $"{f.Webhooks.Url}/nothing-here-{c.Cluster}";
        var wrongUid = f.Webhooks.On($"/uid-{c.Cluster}", _ => new JsonObject { ["uid"] = "not-the-request", ["allowed"] = true });
        await c.RegisterAsync(Validating, "broken",
            Hook("missing.test.example.com", missing, f.Webhooks.CaBundle, resources: ["configmaps"], failurePolicy: policy),
            Hook("uid.test.example.com", wrongUid, f.Webhooks.CaBundle, resources: ["secrets"], failurePolicy: policy));

        var configMap = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("x")));
        var secret = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/secrets", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "x" } }));

        if (policy == "Ignore")
        {
            configMap.Code.ShouldBe(201);
            secret.Code.ShouldBe(201);
            return;
        }
        configMap.Code.ShouldBe(500);
        configMap.Body.Str("message").ShouldBe("Internal error occurred: failed calling webhook \"missing.test.example.com\": failed to call webhook: the server responded with the status code 404 but did not return more information");
        secret.Code.ShouldBe(500);
        secret.Body.Str("message")!.ShouldContain("received invalid webhook response: expected response.uid=");
    }

    [Fact]
    public async Task Writes_of_webhook_configurations_never_reach_webhooks()
    {
        using var c = NewCluster();
        var url = f.Webhooks.On($"/everything-{c.Cluster}", _ => TestWebhookServer.Deny(403, "nothing passes"));
        var everything = Hook("everything.test.example.com", url, f.Webhooks.CaBundle, resources: ["*/*"], operations: ["*"], group: "*");
        await c.RegisterAsync(Validating, "everything", everything);

        (await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("x")))).Code.ShouldBe(403);
        await c.RegisterAsync(Mutating, "another", Hook("another.test.example.com", url, f.Webhooks.CaBundle));
        await c.OkAsync(c.DeleteAsync("apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/another"));
        await c.OkAsync(c.DeleteAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/everything"));

        f.Webhooks.Received($"/everything-{c.Cluster}").Select(r => r.Str("resource.resource")).ShouldBe(["configmaps"]);
        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("x")));
    }

    [Fact]
    public async Task A_certificate_not_signed_by_the_caBundle_is_refused()
    {
        using var c = NewCluster();
        var url = f.Webhooks.On($"/ca-{c.Cluster}", _ => TestWebhookServer.Allow());
        await c.RegisterAsync(Validating, "wrong-ca", Hook("ca.test.example.com", url, TestWebhookServer.OtherCaBundle()));

        var (code, body, _) = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("c")));

        code.ShouldBe(500);
        body.Str("message")!.ShouldContain("tls: failed to verify certificate");
        f.Webhooks.Received($"/ca-{c.Cluster}").ShouldBeEmpty();
    }

    [Fact]
    public async Task Namespace_and_object_selectors_choose_which_requests_reach_the_webhook()
    {
        using var c = NewCluster();
        var url = f.Webhooks.On($"/sel-{c.Cluster}", _ => TestWebhookServer.Deny(400, "selected"));
        var byNamespace = Hook("ns.test.example.com", url, f.Webhooks.CaBundle);
        byNamespace["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["guarded"] = "true" } };
        var byObject = Hook("obj.test.example.com", url, f.Webhooks.CaBundle);
        byObject["objectSelector"] = new JsonObject
        {
            ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "frozen", ["operator"] = "Exists" }),
        };
        await c.RegisterAsync(Validating, "selectors", byNamespace, byObject);
        var guarded = await c.NamespaceAsync(new Dictionary<string, string> { ["guarded"] = "true" });
        var open = await c.NamespaceAsync();

        (await c.SendForStatusAsync(c.PostAsync($"api/v1/namespaces/{guarded}/configmaps", ConfigMap("a")))).Code.ShouldBe(400);
        await c.OkAsync(c.PostAsync($"api/v1/namespaces/{open}/configmaps", ConfigMap("a")));
        var frozen = await c.SendForStatusAsync(c.PostAsync($"api/v1/namespaces/{open}/configmaps", ConfigMap("b", new Dictionary<string, string> { ["frozen"] = "" })));
        frozen.Code.ShouldBe(400);
        frozen.Body.Str("message").ShouldBe("admission webhook \"obj.test.example.com\" denied the request: selected");
    }

    [Fact]
    public async Task A_rule_on_the_status_subresource_applies_to_status_writes_only()
    {
        using var c = NewCluster();
        var crd = KubernetesYamlJson(ContractTarget.Manifest("widgets-crd.yaml"));
        await c.OkAsync(c.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd));
        var url = f.Webhooks.On($"/status-{c.Cluster}", _ => TestWebhookServer.Deny(422, "status is read-only here"));
        await c.RegisterAsync(Validating, "status", Hook("status.test.example.com", url, f.Webhooks.CaBundle,
            resources: ["widgets/status"], group: ContractTarget.Group));
        const string path = "apis/example.com/v1/namespaces/default/widgets";
        await c.OkAsync(c.PostAsync(path, new JsonObject
        {
            ["apiVersion"] = "example.com/v1",
            ["kind"] = "Widget",
            ["metadata"] = new JsonObject { ["name"] = "w" },
            ["spec"] = new JsonObject { ["replicas"] = 1, ["color"] = "red" },
        }));

        await c.OkAsync(c.PatchAsync($"{path}/w", JsonNode.Parse("""{"spec":{"color":"blue"}}""")!));
        var status = await c.SendForStatusAsync(c.PatchAsync($"{path}/w/status", JsonNode.Parse("""{"status":{"replicas":1}}""")!));

        status.Code.ShouldBe(422);
        var call = f.Webhooks.Received($"/status-{c.Cluster}").ShouldHaveSingleItem();
        call.Str("subResource").ShouldBe("status");
        call.Long("object.status.replicas").ShouldBe(1);
    }

    [Fact]
    public async Task A_dry_run_reaches_webhooks_without_side_effects_and_stores_nothing()
    {
        using var c = NewCluster();
        var url = f.Webhooks.On($"/dry-{c.Cluster}", _ => TestWebhookServer.Patch("""[{"op":"add","path":"/data/added","value":"x"}]"""));
        await c.RegisterAsync(Mutating, "dry", Hook("dry.test.example.com", url, f.Webhooks.CaBundle, sideEffects: "NoneOnDryRun"));

        var answer = await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps?dryRun=All", ConfigMap("d")));

        answer.Str("data.added").ShouldBe("x");
        var call = f.Webhooks.Received($"/dry-{c.Cluster}").ShouldHaveSingleItem();
        call["dryRun"]!.GetValue<bool>().ShouldBeTrue();
        (await c.SendForStatusAsync(c.GetAsync("api/v1/namespaces/default/configmaps/d"))).Code.ShouldBe(404);
    }

    [Fact]
    public async Task Configurations_are_validated_and_defaulted_as_the_API_does()
    {
        using var c = NewCluster();
        var some = Hook("some.test.example.com", "https://127.0.0.1:1/x", f.Webhooks.CaBundle, sideEffects: "Some");
        var invalid = await c.SendForStatusAsync(c.PostAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "bad" },
            ["webhooks"] = new JsonArray(some),
        }));
        invalid.Code.ShouldBe(422);
        invalid.Body.Str("message")!.ShouldContain("webhooks[0].sideEffects: Unsupported value: \"Some\"");
        var beta = Hook("beta.test.example.com", "http://127.0.0.1:1/x", f.Webhooks.CaBundle);
        beta["admissionReviewVersions"] = new JsonArray("v1beta1");
        var betaOnly = await c.SendForStatusAsync(c.PostAsync("apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations", new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "beta" },
            ["webhooks"] = new JsonArray(beta),
        }));
        betaOnly.Code.ShouldBe(422);
        betaOnly.Body.Str("message")!.ShouldContain("webhooks[0].admissionReviewVersions: Invalid value: [\"v1beta1\"]: must include v1");
        betaOnly.Body.Str("message")!.ShouldContain("webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed URL scheme");

        var hook = Hook("ok.test.example.com", "https://127.0.0.1:1/x", f.Webhooks.CaBundle);
        hook.Remove("failurePolicy");
        hook.Remove("timeoutSeconds");
        var stored = await c.RegisterAsync(Validating, "ok", hook);
        var defaulted = stored["webhooks"]![0];
        defaulted.Str("failurePolicy").ShouldBe("Fail");
        defaulted.Long("timeoutSeconds").ShouldBe(10);
        defaulted.Str("matchPolicy").ShouldBe("Equivalent");
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static JsonObject KubernetesYamlJson(string file) =>
        JsonNode.Parse(k8s.KubernetesJson.Serialize(k8s.KubernetesYaml.Deserialize<k8s.Models.V1CustomResourceDefinition>(File.ReadAllText(file))))!.AsObject();
}
