using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>Defaults and checks of CAPI's Dev* webhooks (its test provider), plus the product's backend rules.</summary>
internal static class DevRules
{
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    /// <summary>No backend means docker, as CAPI defaults it.</summary>
    public static JsonElement? DefaultDocker(JsonElement? docker, bool hasInMemory) =>
        docker is null && !hasInMemory ? EmptyObject : docker;

    /// <summary>The docker backend: control-plane endpoint port 6443 and failure domains that say whether they host control planes.</summary>
    public static void DefaultCluster(DevClusterSpec spec)
    {
        spec.Backend.Docker = DefaultDocker(spec.Backend.Docker, spec.Backend.InMemory is not null);
        if (spec.Backend.Docker is not { } docker)
            return;
        var endpoint = spec.ControlPlaneEndpoint ??= new ApiEndpoint();
        if (endpoint.Port is null or 0)
            endpoint.Port = 6443;
        if (JsonNode.Parse(docker.GetRawText()) is JsonObject node && node["failureDomains"] is JsonArray domains)
        {
            foreach (var domain in domains.OfType<JsonObject>().Where(d => d["controlPlane"] is null))
                domain["controlPlane"] = false;
            spec.Backend.Docker = JsonSerializer.SerializeToElement(node);
        }
    }

    /// <summary>Docker failure domains sorted by name.</summary>
    public static IEnumerable<FieldError> ValidateCluster(DevClusterSpec spec, FieldPath path)
    {
        if (KubeadmConfigRules.Property(spec.Backend.Docker, "failureDomains") is not { ValueKind: JsonValueKind.Array } domains)
            yield break;
        var names = domains.EnumerateArray().Select(d => KubeadmConfigRules.Property(d, "name")?.GetString() ?? "").ToList();
        if (!names.SequenceEqual(names.Order(StringComparer.Ordinal)))
            yield return FieldError.Invalid(path.Child("backend", "docker", "failureDomains"), domains, "failure domains must be sorted by name");
    }

    /// <summary>One backend provides the infrastructure: the product refuses both at once (CAPI's controllers would
    /// silently use docker).</summary>
    public static IEnumerable<FieldError> OneBackend(FieldPath path, JsonElement? docker, bool hasInMemory)
    {
        if (docker is not null && hasInMemory)
            yield return FieldError.Forbidden(path.Child("backend"), "only one of docker or inMemory may be set");
    }
}
