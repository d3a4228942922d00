using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>The real kubectl registers a webhook configuration (url + caBundle) and shows a webhook's denial.</summary>
public sealed class WebhookKubectlTests(WebhookFixture f) : IClassFixture<WebhookFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), TestNames.Unique("whkc"))).FullName;

    [KubectlFact]
    public async Task Kubectl_applies_a_configuration_and_prints_the_denial_message()
    {
        var cluster = TestNames.Unique("whk");
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        f.Server.WriteKubeconfig(kubeconfig, cluster);
        var kubectl = new KubectlCli(kubeconfig, Path.Combine(_dir, "cache"));
        var url = f.Webhooks.On($"/kubectl-{cluster}", r =>
            r["object"]?["data"]?["mode"]?.GetValue<string>() == "forbidden"
                ? TestWebhookServer.Deny(403, "mode \"forbidden\" is not allowed")
                : TestWebhookServer.Allow());
        var configuration = Path.Combine(_dir, "webhook.yaml");
        await File.WriteAllTextAsync(configuration, $"""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingWebhookConfiguration
            metadata:
              name: modes
            webhooks:
            - name: modes.test.example.com
              clientConfig:
                url: {url}
                caBundle: {f.Webhooks.CaBundle}
              rules:
              - operations: ["CREATE", "UPDATE"]
                apiGroups: [""]
                apiVersions: ["v1"]
                resources: ["configmaps"]
              sideEffects: None
              admissionReviewVersions: ["v1"]
            """);
        var configMap = Path.Combine(_dir, "cm.yaml");
        await File.WriteAllTextAsync(configMap, """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: modal
              namespace: default
            data:
              mode: forbidden
            """);

        await kubectl.OkAsync("apply", "-f", configuration);
        var table = (await kubectl.OkAsync("get", "validatingwebhookconfigurations")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "WEBHOOKS", "AGE"]);
        table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2].ShouldBe(["modes", "1"]);
        (await kubectl.OkAsync("apply", "-f", configuration)).ShouldContain("validatingwebhookconfiguration.admissionregistration.k8s.io/modes");
        var (code, _, err) = await kubectl.RunAsync("apply", "-f", configMap);

        code.ShouldNotBe(0);
        err.ShouldContain("admission webhook \"modes.test.example.com\" denied the request: mode \"forbidden\" is not allowed");
        var (getCode, _, _) = await kubectl.RunAsync("get", "configmap", "modal", "-n", "default");
        getCode.ShouldNotBe(0);
        f.Webhooks.Received($"/kubectl-{cluster}").ShouldNotBeEmpty();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
