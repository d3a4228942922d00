using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Admission;
using ServerlessCapi.EmbeddedApiServer;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Webhooks;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Integration.Tests.Admission;

/// <summary>The embedded API server with <c>infra/crds</c> installed and the function app's webhook functions served
/// over HTTPS (the app's own hosting, one app per set of feature gates), registered from <c>infra/webhooks</c>.</summary>
public sealed class WebhookApps : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("scapi-corpus-").FullName;
    private readonly Dictionary<AdmissionOptions, (WebApplication App, string Url)> _apps = [];
    private AdmissionOptions? _registered;

    public EmbeddedApiServer.EmbeddedApiServer Server { get; private set; } = null!;
    public k8s.Kubernetes Client { get; private set; } = null!;
    public KubeApi Kube { get; private set; } = null!;
    public WebhookTls Tls { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.StartAsync();
        Client = Server.CreateClient();
        Kube = KubeApi.FromKubeconfigText(Server.KubeconfigYaml());
        var applier = new ManifestApplier(Kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
            await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file)));
        Tls = WebhookTls.LoadOrCreate(Path.Combine(_folder, "webhooks"));
    }

    /// <summary>Points every webhook configuration at an app serving with these gates (started on first use).</summary>
    public async Task UseAsync(AdmissionOptions gates)
    {
        if (_registered == gates) return;
        if (!_apps.TryGetValue(gates, out var app))
            _apps[gates] = app = await StartAppAsync(gates);
        foreach (var file in WebhookManifests.Manifests)
            await Server.ApplyWebhookConfigurationsAsync(WebhookManifests.Render(await File.ReadAllTextAsync(file), app.Url, Tls.CaBundle));
        _registered = gates;
    }

    private async Task<(WebApplication, string)> StartAppAsync(AdmissionOptions gates)
    {
        static string Flag(bool on) => on.ToString(CultureInfo.InvariantCulture).ToLowerInvariant();
        var app = FunctionApp.Build(
            new FunctionAppSettings
            {
                HostJsonPath = "",
                LocalSettingsPath = "",
                ReadEnvironment = false,
                Urls = ["https://127.0.0.1:0"],
                Overrides = new Dictionary<string, string?>
                {
                    [FunctionApp.HttpsCertificateSetting] = Tls.CertificateFile,
                    [FunctionApp.HttpsCertificateKeySetting] = Tls.KeyFile,
                    [$"{AdmissionWebhookFunction.Section}:ClusterTopology"] = Flag(gates.ClusterTopology),
                    [$"{AdmissionWebhookFunction.Section}:KubeadmBootstrapFormatIgnition"] = Flag(gates.KubeadmBootstrapFormatIgnition),
                    [$"{AdmissionWebhookFunction.Section}:MachineTaintPropagation"] = Flag(gates.MachineTaintPropagation),
                    [$"{AdmissionWebhookFunction.Section}:MachineSetPreflightChecks"] = Flag(gates.MachineSetPreflightChecks),
                    ["Logging:LogLevel:Default"] = "Warning",
                },
            },
            AdmissionWebhookFunction.Register,
            AdmissionWebhookFunction.AddServices);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async Task DisposeAsync()
    {
        foreach (var (app, _) in _apps.Values)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        Kube.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
