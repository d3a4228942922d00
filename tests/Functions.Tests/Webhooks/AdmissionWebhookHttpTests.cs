using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.EmbeddedApiServer.Auth;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Webhooks;

namespace ServerlessCapi.Functions.Tests.Webhooks;

/// <summary>The admission webhooks served by the running app over HTTPS at CAPI's paths, as an API server calls them.</summary>
public sealed class AdmissionWebhookHttpTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scapi-webhook-tls-").FullName;
    private ServingCertificate _certificate = null!;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _certificate = ServingCertificate.Create();
        var certificateFile = Path.Combine(_folder, "tls.crt");
        var keyFile = Path.Combine(_folder, "tls.key");
        await File.WriteAllTextAsync(certificateFile, _certificate.Leaf.ExportCertificatePem());
        using (var key = _certificate.Leaf.GetECDsaPrivateKey()!)
            await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        _app = FunctionApp.Build(
            new FunctionAppSettings
            {
                HostJsonPath = "",
                LocalSettingsPath = "",
                ReadEnvironment = false,
                Urls = ["https://127.0.0.1:0"],
                Overrides = new Dictionary<string, string?>
                {
                    [FunctionApp.HttpsCertificateSetting] = certificateFile,
                    [FunctionApp.HttpsCertificateKeySetting] = keyFile,
                },
            },
            AdmissionWebhookFunction.Register,
            AdmissionWebhookFunction.AddServices);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Trust only the private CA, as an API server given the webhook's caBundle does.
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => _certificate.Validate(cert) };
        _http = new HttpClient(handler) { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Mutating_webhook_answers_a_JSON_patch_over_TLS_at_CAPIs_path()
    {
        var response = await _http.PostAsJsonAsync("/mutate-cluster-x-k8s-io-v1beta2-machinedeployment", Review("CREATE", MachineDeployment("1.30.1")));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        answer["apiVersion"]!.GetValue<string>().ShouldBe("admission.k8s.io/v1");
        answer["kind"]!.GetValue<string>().ShouldBe("AdmissionReview");
        answer["response"]!["uid"]!.GetValue<string>().ShouldBe("9f1c2a");
        answer["response"]!["allowed"]!.GetValue<bool>().ShouldBeTrue();
        answer["response"]!["patchType"]!.GetValue<string>().ShouldBe("JSONPatch");
        var patch = Encoding.UTF8.GetString(Convert.FromBase64String(answer["response"]!["patch"]!.GetValue<string>()));
        patch.ShouldContain("\"path\":\"/spec/template/spec/version\",\"value\":\"v1.30.1\"");
        patch.ShouldContain("\"path\":\"/spec/replicas\",\"value\":1");
    }

    [Fact]
    public async Task Validating_webhook_refuses_with_CAPIs_Invalid_status()
    {
        var md = MachineDeployment("v1.30.1");
        md["spec"]!["template"]!["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "other" } };

        var response = await _http.PostAsJsonAsync("/validate-cluster-x-k8s-io-v1beta2-machinedeployment", Review("CREATE", md));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["response"]!["status"]!;
        status["code"]!.GetValue<int>().ShouldBe(422);
        status["message"]!.GetValue<string>().ShouldBe(
            "MachineDeployment.cluster.x-k8s.io \"md\" is invalid: spec.template.metadata.labels: Forbidden: must match spec.selector \"app=workers\"");
    }

    [Fact]
    public async Task Webhooks_answer_only_at_the_root_and_only_to_POST()
    {
        (await _http.PostAsJsonAsync("/api/validate-cluster-x-k8s-io-v1beta2-machine", Review("CREATE", MachineDeployment("v1.30.1"))))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _http.GetAsync("/validate-cluster-x-k8s-io-v1beta2-machine"))
            .StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        using var garbage = new StringContent("not json", Encoding.UTF8, "application/json");
        (await _http.PostAsync("/validate-cluster-x-k8s-io-v1beta2-machine", garbage))
            .StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    private static JsonObject MachineDeployment(string version) => new()
    {
        ["apiVersion"] = "cluster.x-k8s.io/v1beta2",
        ["kind"] = "MachineDeployment",
        ["metadata"] = new JsonObject { ["name"] = "md", ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["clusterName"] = "demo",
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = "workers" } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = "workers" } },
                ["spec"] = new JsonObject
                {
                    ["clusterName"] = "demo",
                    ["version"] = version,
                    ["bootstrap"] = new JsonObject { ["dataSecretName"] = "bootstrap" },
                    ["infrastructureRef"] = new JsonObject { ["apiGroup"] = "infrastructure.cluster.x-k8s.io", ["kind"] = "DevMachineTemplate", ["name"] = "md" },
                },
            },
        },
    };

    private static JsonObject Review(string operation, JsonObject obj) => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = "9f1c2a",
            ["kind"] = new JsonObject { ["group"] = "cluster.x-k8s.io", ["version"] = "v1beta2", ["kind"] = obj["kind"]!.GetValue<string>() },
            ["operation"] = operation,
            ["name"] = obj["metadata"]!["name"]!.GetValue<string>(),
            ["namespace"] = "default",
            ["object"] = obj.DeepClone(),
        },
    };
}
