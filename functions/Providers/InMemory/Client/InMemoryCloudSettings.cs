using Microsoft.Extensions.Configuration;

namespace ServerlessCapi.Providers.InMemory.Client;

/// <summary>How the app reaches the in-memory cloud (<c>InMemoryCloud:Url</c>, <c>:Key</c>, <c>:WorkloadToken</c>).</summary>
/// <param name="WorkloadToken">The bearer token the cloud's workload clusters accept; it goes into
/// each cluster's kubeconfig Secret.</param>
public sealed record InMemoryCloudSettings(Uri Url, string Key, string WorkloadToken)
{
    public const string Section = "InMemoryCloud";

    /// <summary>The settings, or null when the in-memory cloud is not configured.</summary>
    public static InMemoryCloudSettings? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var url = section["Url"];
        var key = section["Key"];
        if (string.IsNullOrEmpty(url) || string.IsNullOrEmpty(key)) return null;
        return new InMemoryCloudSettings(new Uri(url), key, section["WorkloadToken"] ?? "");
    }

    /// <summary>Hides the key and token when the settings are printed or logged.</summary>
    public override string ToString() => $"InMemoryCloudSettings {{ Url = {Url} }}";
}
