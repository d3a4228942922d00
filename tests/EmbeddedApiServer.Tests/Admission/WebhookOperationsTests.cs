using System.Text.Json.Nodes;
using k8s;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;
using static ServerlessCapi.EmbeddedApiServer.Tests.Admission.ClusterHttp;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>Webhooks on deletes, the scale subresource, other served versions and service references.</summary>
public sealed class WebhookOperationsTests(WebhookFixture f) : IClassFixture<WebhookFixture>
{
    private const string Mutating = "MutatingWebhookConfiguration";
    private const string Validating = "ValidatingWebhookConfiguration";
    private const string Widgets = "apis/example.com/v1/namespaces/default/widgets";

    [Fact]
    public async Task A_delete_sends_the_old_object_and_a_denial_keeps_the_object()
    {
        using var c = new ClusterHttp(f.Server, TestNames.Unique("whd"));
        var url = f.Webhooks.On($"/delete-{c.Cluster}", r =>
            r["oldObject"]?["metadata"]?["labels"]?["keep"] is not null ? TestWebhookServer.Deny(403, "kept") : TestWebhookServer.Allow());
        await c.RegisterAsync(Validating, "deletes", Hook("deletes.test.example.com", url, f.Webhooks.CaBundle, operations: ["DELETE"]));
        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("kept", new Dictionary<string, string> { ["keep"] = "yes" })));
        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("gone")));

        var denied = await c.SendForStatusAsync(c.DeleteAsync("api/v1/namespaces/default/configmaps/kept"));
        await c.OkAsync(c.DeleteAsync("api/v1/namespaces/default/configmaps/gone"));

        denied.Code.ShouldBe(403);
        denied.Body.Str("message").ShouldBe("admission webhook \"deletes.test.example.com\" denied the request: kept");
        await c.OkAsync(c.GetAsync("api/v1/namespaces/default/configmaps/kept"));
        (await c.SendForStatusAsync(c.GetAsync("api/v1/namespaces/default/configmaps/gone"))).Code.ShouldBe(404);
        var calls = f.Webhooks.Received($"/delete-{c.Cluster}");
        calls.Count.ShouldBe(2);
        calls[1].Str("operation").ShouldBe("DELETE");
        calls[1]["object"].ShouldBeNull();
        calls[1].Str("oldObject.metadata.name").ShouldBe("gone");
        calls[1].Str("options.kind").ShouldBe("DeleteOptions");
    }

    [Fact]
    public async Task A_scale_write_sends_the_Scale_and_its_mutation_is_stored()
    {
        using var c = new ClusterHttp(f.Server, TestNames.Unique("whs"));
        await CreateWidgetsAsync(c);
        var url = f.Webhooks.On($"/scale-{c.Cluster}", _ => TestWebhookServer.Patch("""[{"op":"replace","path":"/spec/replicas","value":5}]"""));
        await c.RegisterAsync(Mutating, "scale", Hook("scale.test.example.com", url, f.Webhooks.CaBundle, resources: ["widgets/scale"], group: ContractTarget.Group));
        await c.OkAsync(c.PostAsync(Widgets, Widget("w", 1)));

        await c.OkAsync(c.PatchAsync($"{Widgets}/w/scale", JsonNode.Parse("""{"spec":{"replicas":3}}""")!));

        (await c.OkAsync(c.GetAsync($"{Widgets}/w"))).Long("spec.replicas").ShouldBe(5);
        var call = f.Webhooks.Received($"/scale-{c.Cluster}").ShouldHaveSingleItem();
        call.Str("kind.kind").ShouldBe("Scale");
        call.Str("kind.group").ShouldBe("autoscaling");
        call.Str("resource.resource").ShouldBe("widgets");
        call.Str("subResource").ShouldBe("scale");
        call.Long("object.spec.replicas").ShouldBe(3);
        call.Long("oldObject.spec.replicas").ShouldBe(1);
    }

    [Theory]
    [InlineData("Equivalent", true)]
    [InlineData("Exact", false)]
    public async Task A_rule_for_one_version_reaches_requests_in_another_only_under_Equivalent(string matchPolicy, bool called)
    {
        using var c = new ClusterHttp(f.Server, TestNames.Unique("whv"));
        await c.OkAsync(c.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", TwoVersionCrd()));
        var path = $"/versions-{c.Cluster}";
        var hook = Hook("versions.test.example.com", f.Webhooks.On(path, _ => TestWebhookServer.Allow()), f.Webhooks.CaBundle,
            resources: ["things"], group: "example.com");
        hook["rules"]![0]!["apiVersions"] = new JsonArray("v1");
        hook["matchPolicy"] = matchPolicy;
        await c.RegisterAsync(Validating, "versions", hook);

        await c.OkAsync(c.PostAsync("apis/example.com/v2/namespaces/default/things", new JsonObject
        {
            ["apiVersion"] = "example.com/v2",
            ["kind"] = "Thing",
            ["metadata"] = new JsonObject { ["name"] = "t" },
        }));

        var calls = f.Webhooks.Received(path);
        calls.Count.ShouldBe(called ? 1 : 0);
        if (!called) return;
        calls[0].Str("kind.version").ShouldBe("v1");
        calls[0].Str("resource.version").ShouldBe("v1");
        calls[0].Str("requestKind.version").ShouldBe("v2");
        calls[0].Str("requestResource.version").ShouldBe("v2");
        calls[0].Str("object.apiVersion").ShouldBe("example.com/v1");
    }

    [Fact]
    public async Task A_service_reference_is_called_through_the_resolver_and_verified_against_its_service_name()
    {
        var path = $"/service-{Guid.NewGuid():N}";
        f.Webhooks.On(path, _ => TestWebhookServer.Deny(409, "seen through the service"));
        var webhookPort = new Uri(f.Webhooks.Url).Port;
        await using var server = await TestApiServer.StartAsync(new EmbeddedApiServerOptions
        {
            Webhooks = new WebhookOptions { ResolveService = s => new Uri($"https://127.0.0.1:{webhookPort}/{s.Path!.TrimStart('/')}") },
        });
        using var c = new ClusterHttp(server, TestNames.Unique("whsvc"));
        var hook = Hook("service.test.example.com", "https://unused", f.Webhooks.CaBundle);
        hook["clientConfig"] = new JsonObject
        {
            ["service"] = new JsonObject { ["namespace"] = "test-system", ["name"] = "webhook", ["path"] = path },
            ["caBundle"] = f.Webhooks.CaBundle,
        };
        var wrongName = Hook("other.test.example.com", "https://unused", f.Webhooks.CaBundle);
        wrongName["clientConfig"] = new JsonObject
        {
            ["service"] = new JsonObject { ["namespace"] = "elsewhere", ["name"] = "webhook", ["path"] = path },
            ["caBundle"] = f.Webhooks.CaBundle,
        };
        wrongName["rules"]![0]!["resources"] = new JsonArray("secrets");
        var stored = await c.RegisterAsync(Validating, "by-service", hook, wrongName);
        stored["webhooks"]![0]!.Long("clientConfig.service.port").ShouldBe(443);

        var denied = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("s")));
        var refused = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/secrets", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "s" } }));

        denied.Code.ShouldBe(409);
        denied.Body.Str("message").ShouldBe("admission webhook \"service.test.example.com\" denied the request: seen through the service");
        refused.Code.ShouldBe(500);
        refused.Body.Str("message")!.ShouldContain("not valid for webhook.elsewhere.svc");
    }

    [Fact]
    public async Task A_webhook_may_read_from_the_server_while_it_decides()
    {
        using var c = new ClusterHttp(f.Server, TestNames.Unique("whr"));
        using var reader = f.Server.CreateHttpClient(c.Cluster);
        var url = f.Webhooks.On($"/reads-{c.Cluster}", _ =>
        {
            // Blocking is fine in the test webhook: the API server must not hold its lock while it waits.
            var list = reader.GetStringAsync("api/v1/namespaces/default/configmaps").GetAwaiter().GetResult();
            return JsonNode.Parse(list)!["items"]!.AsArray().Count == 0 ? TestWebhookServer.Allow() : TestWebhookServer.Deny(400, "one is enough");
        });
        await c.RegisterAsync(Validating, "reads", Hook("reads.test.example.com", url, f.Webhooks.CaBundle, timeoutSeconds: 10));

        await c.OkAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("first")));
        var second = await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ConfigMap("second")));

        second.Code.ShouldBe(400);
        second.Body.Str("message").ShouldBe("admission webhook \"reads.test.example.com\" denied the request: one is enough");
    }

    [Fact]
    public async Task KubernetesClient_registers_a_configuration_with_its_typed_model()
    {
        var cluster = TestNames.Unique("whtyped");
        var kube = f.Server.CreateClient(cluster);
        var url = f.Webhooks.On($"/typed-{cluster}", _ => TestWebhookServer.Deny(403, "typed"));
        await kube.AdmissionregistrationV1.CreateMutatingWebhookConfigurationAsync(new k8s.Models.V1MutatingWebhookConfiguration
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "typed" },
            Webhooks =
            [
                new k8s.Models.V1MutatingWebhook
                {
                    Name = "typed.test.example.com",
                    ClientConfig = new k8s.Models.Admissionregistrationv1WebhookClientConfig
                    {
                        Url = url,
                        CaBundle = Convert.FromBase64String(f.Webhooks.CaBundle),
                    },
                    Rules = [new k8s.Models.V1RuleWithOperations { Operations = ["CREATE"], ApiGroups = [""], ApiVersions = ["v1"], Resources = ["configmaps"] }],
                    SideEffects = "None",
                    AdmissionReviewVersions = ["v1"],
                },
            ],
        });

        var read = await kube.AdmissionregistrationV1.ReadMutatingWebhookConfigurationAsync("typed");
        read.Webhooks.ShouldHaveSingleItem().ReinvocationPolicy.ShouldBe("Never");
        var error = await Should.ThrowAsync<k8s.Autorest.HttpOperationException>(() =>
            kube.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap { Metadata = new k8s.Models.V1ObjectMeta { Name = "c" } }, "default"));
        error.Response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        JsonNode.Parse(error.Response.Content).Str("message").ShouldBe("admission webhook \"typed.test.example.com\" denied the request: typed");
    }

    private static async Task CreateWidgetsAsync(ClusterHttp c)
    {
        var crd = JsonNode.Parse(k8s.KubernetesJson.Serialize(k8s.KubernetesYaml.Deserialize<k8s.Models.V1CustomResourceDefinition>(
            await File.ReadAllTextAsync(ContractTarget.Manifest("widgets-crd.yaml")))))!.AsObject();
        await c.OkAsync(c.PostAsync("apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd));
    }

    private static JsonObject Widget(string name, int replicas) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Widget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["replicas"] = replicas, ["color"] = "red" },
    };

    private static JsonObject TwoVersionCrd()
    {
        JsonObject Version(string name, bool storage) => new()
        {
            ["name"] = name,
            ["served"] = true,
            ["storage"] = storage,
            ["schema"] = new JsonObject
            {
                ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
            },
        };
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = "things.example.com" },
            ["spec"] = new JsonObject
            {
                ["group"] = "example.com",
                ["scope"] = "Namespaced",
                ["names"] = new JsonObject { ["plural"] = "things", ["singular"] = "thing", ["kind"] = "Thing", ["listKind"] = "ThingList" },
                ["versions"] = new JsonArray(Version("v1", true), Version("v2", false)),
            },
        };
    }
}
