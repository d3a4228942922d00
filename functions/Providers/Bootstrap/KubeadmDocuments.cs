using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>The kubeadm configuration file (<c>kubeadm.k8s.io/v1beta4</c>) a Machine runs kubeadm with.</summary>
/// <remarks>CAPI's v1beta2 kubeadm types share kubeadm v1beta4's shapes (extra args as name/value lists),
/// so the spec's objects are written as they are, with the cluster-derived fields filled in.</remarks>
public static class KubeadmDocuments
{
    public const string ApiVersion = "kubeadm.k8s.io/v1beta4";

    /// <summary>The documents of the kubeadm config file as one YAML text.</summary>
    public static string Render(BootstrapInput input) =>
        YamlJson.ToYamlAll(input.Role == BootstrapRole.Init ? InitDocuments(input) : [JoinDocument(input)]);

    private static IEnumerable<JsonNode> InitDocuments(BootstrapInput input)
    {
        var cluster = Document("ClusterConfiguration", input.Spec.ClusterConfiguration);
        cluster["clusterName"] = input.ClusterName;
        if (input.KubernetesVersion is { } version) cluster["kubernetesVersion"] = version;
        if (input.ControlPlaneEndpoint is { } endpoint) cluster["controlPlaneEndpoint"] ??= endpoint;
        if (input.Network is { } network)
        {
            var networking = new JsonObject();
            if (network.Pods?.CidrBlocks is { Count: > 0 } pods) networking["podSubnet"] = string.Join(',', pods);
            if (network.Services?.CidrBlocks is { Count: > 0 } services) networking["serviceSubnet"] = string.Join(',', services);
            if (network.ServiceDomain is { } domain) networking["dnsDomain"] = domain;
            if (networking.Count > 0) cluster["networking"] = networking;
        }

        var init = Document("InitConfiguration", input.Spec.InitConfiguration);
        init["bootstrapTokens"] ??= new JsonArray(new JsonObject
        {
            ["token"] = input.JoinToken,
            ["usages"] = new JsonArray("signing", "authentication"),
            ["groups"] = new JsonArray("system:bootstrappers:kubeadm:default-node-token"),
        });
        return [cluster, init];
    }

    private static JsonObject JoinDocument(BootstrapInput input)
    {
        var join = Document("JoinConfiguration", input.Spec.JoinConfiguration);
        if (join["discovery"] is not JsonObject discovery || discovery.Count == 0)
        {
            join["discovery"] = new JsonObject
            {
                ["bootstrapToken"] = new JsonObject
                {
                    ["apiServerEndpoint"] = input.ControlPlaneEndpoint,
                    ["token"] = input.JoinToken,
                    // The simulated clusters have no CA to pin; a real provider fills caCertHashes.
                    ["unsafeSkipCAVerification"] = true,
                },
            };
        }
        if (input.Role == BootstrapRole.JoinControlPlane) join["controlPlane"] ??= new JsonObject();
        else join.Remove("controlPlane");
        return join;
    }

    private static JsonObject Document(string kind, object? section)
    {
        var body = section is null
            ? new JsonObject()
            : JsonSerializer.SerializeToNode(section, section.GetType(), Manifests.JsonOptions) as JsonObject ?? [];
        var doc = new JsonObject { ["apiVersion"] = ApiVersion, ["kind"] = kind };
        foreach (var (key, value) in body) doc[key] = value?.DeepClone();
        return doc;
    }
}
