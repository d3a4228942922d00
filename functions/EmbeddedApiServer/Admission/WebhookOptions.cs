namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>How the server reaches admission webhooks and what stage runs between the mutating and the validating ones.</summary>
public sealed record WebhookOptions
{
    /// <summary>Maps a webhook's <c>clientConfig.service</c> to the URL to call. The default is the in-cluster name
    /// (<c>https://NAME.NAMESPACE.svc:PORT/PATH</c>), which resolves only where such a DNS name exists; the serving
    /// certificate must carry <see cref="WebhookService.HostName"/> either way, as in Kubernetes.</summary>
    public Func<WebhookService, Uri> ResolveService { get; init; } = DefaultResolve;

    /// <summary>The stage kube-apiserver runs between mutating and validating admission (schema, CEL and metadata
    /// validation); it rejects a write by throwing an API error. The default does nothing.</summary>
    public IObjectValidation ObjectValidation { get; init; } = NoObjectValidation.Instance;

    /// <summary>The user every request is attributed to (the server has one bearer token, so one user).</summary>
    public string UserName { get; init; } = "scapi-admin";

    public static Uri DefaultResolve(WebhookService s) =>
        new($"https://{s.HostName}:{s.Port}/{(s.Path ?? "").TrimStart('/')}");
}
