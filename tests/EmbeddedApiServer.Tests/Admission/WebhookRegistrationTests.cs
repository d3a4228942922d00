using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>The registration helper a local run uses: a manifest applied in, then re-applied with changes.</summary>
public sealed class WebhookRegistrationTests(WebhookFixture f) : IClassFixture<WebhookFixture>
{
    [Fact]
    public async Task A_manifest_registers_and_then_updates_its_configurations()
    {
        var cluster = TestNames.Unique("whreg");
        using var c = new ClusterHttp(f.Server, cluster);
        var url = f.Webhooks.On($"/reg-{cluster}", _ => TestWebhookServer.Deny(403, "registered"));
        string Manifest(string policy) => $"""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: reg-validating
            webhooks:
            - name: reg.test.example.com
              clientConfig:
                url: {url}
                caBundle: {f.Webhooks.CaBundle}
              rules:
              - operations: ["CREATE"]
                apiGroups: [""]
                apiVersions: ["v1"]
                resources: ["configmaps"]
              failurePolicy: {policy}
              sideEffects: None
              admissionReviewVersions: ["v1"]
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: MutatingWebhookConfiguration
            metadata:
              name: reg-mutating
            webhooks: []
            """;

        (await f.Server.ApplyWebhookConfigurationsAsync(Manifest("Fail"), cluster)).ShouldBe(["reg-validating", "reg-mutating"]);
        (await c.SendForStatusAsync(c.PostAsync("api/v1/namespaces/default/configmaps", ClusterHttp.ConfigMap("x")))).Code.ShouldBe(403);
        await f.Server.ApplyWebhookConfigurationsAsync(Manifest("Ignore"), cluster);

        var stored = await c.OkAsync(c.GetAsync("apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/reg-validating"));
        stored["webhooks"]![0].Str("failurePolicy").ShouldBe("Ignore");
        var refused = await Should.ThrowAsync<InvalidOperationException>(() => f.Server.ApplyWebhookConfigurationsAsync(Manifest("Sometimes"), cluster));
        refused.Message.ShouldContain("webhooks[0].failurePolicy: Unsupported value: \"Sometimes\"");
    }
}
