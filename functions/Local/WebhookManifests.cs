using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Local;

/// <summary>Registers the app's admission webhooks (<c>infra/webhooks</c>) in a management cluster.</summary>
public static class WebhookManifests
{
    /// <summary>The manifests with the app's Mutating/ValidatingWebhookConfiguration objects.</summary>
    public static IEnumerable<string> Manifests =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "webhooks"), "*.yaml").Order(StringComparer.Ordinal);

    /// <summary>The manifests' text with <c>WEBHOOK_HOST</c> and <c>CA_BUNDLE</c> filled in.</summary>
    /// <param name="baseUrl">The app's HTTPS listener (<c>https://host:port</c>), as the API server reaches it.</param>
    /// <param name="caBundle">Base64 of the PEM CA that signed the app's serving certificate.</param>
    public static string Render(string manifest, string baseUrl, string caBundle)
    {
        var host = new Uri(baseUrl).Authority;
        return manifest.Replace("WEBHOOK_HOST", host, StringComparison.Ordinal).Replace("CA_BUNDLE", caBundle, StringComparison.Ordinal);
    }

    /// <summary>Applies (server-side) every configuration, pointing at <paramref name="baseUrl"/>.</summary>
    public static async Task RegisterAsync(string kubeconfigPath, string baseUrl, string caBundle, CancellationToken ct)
    {
        using var kube = KubeApi.FromKubeconfigFile(kubeconfigPath);
        var applier = new ManifestApplier(kube);
        foreach (var file in Manifests)
            await applier.ApplyAsync(ManifestApplier.Parse(Render(await File.ReadAllTextAsync(file, ct), baseUrl, caBundle)), ct: ct);
    }
}
