namespace ServerlessCapi.Admission;

/// <summary>One served webhook: a path, the kind's webhook and whether it defaults or validates.</summary>
public sealed record WebhookEndpoint(string Path, KindWebhook Webhook, bool Mutating)
{
    /// <summary>The name in the webhook configuration (<c>default.machine.cluster.x-k8s.io</c>).</summary>
    public string Name => Mutating ? Webhook.MutateName : Webhook.ValidateName;

    public IReadOnlyList<string> Operations => Mutating ? ["CREATE", "UPDATE"] : Webhook.ValidatedOperations;
}

/// <summary>Every webhook the product serves, at CAPI's paths.</summary>
public static class AdmissionWebhooks
{
    public static IReadOnlyList<KindWebhook> Kinds { get; } =
    [
        new ClusterWebhook(),
        new ClusterClassWebhook(),
        new MachineWebhook(),
        new MachineSetWebhook(),
        new MachineDeploymentWebhook(),
        new MachinePoolWebhook(),
        new MachineHealthCheckWebhook(),
        new MachineDrainRuleWebhook(),
        new KubeadmConfigWebhook(),
        new KubeadmConfigTemplateWebhook(),
        new KubeadmControlPlaneWebhook(),
        new KubeadmControlPlaneTemplateWebhook(),
        new DevClusterWebhook(),
        new DevClusterTemplateWebhook(),
        new DevMachineWebhook(),
        new DevMachineTemplateWebhook(),
        new ClusterResourceSetWebhook(),
        new ClusterResourceSetBindingWebhook(),
    ];

    public static IReadOnlyList<WebhookEndpoint> Endpoints { get; } =
    [
        .. Kinds.Where(k => k.Mutates).Select(k => new WebhookEndpoint(k.MutatePath, k, Mutating: true)),
        .. Kinds.Select(k => new WebhookEndpoint(k.ValidatePath, k, Mutating: false)),
    ];

    public static WebhookEndpoint? Find(string path) =>
        Endpoints.FirstOrDefault(e => string.Equals(e.Path, "/" + path.TrimStart('/'), StringComparison.Ordinal));

    public static KindWebhook? ForKind(string group, string kind) =>
        Kinds.FirstOrDefault(k => k.Group == group && k.Kind == kind);
}
