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
        ToKubeadmTimeouts(init);
        foreach (var token in init["bootstrapTokens"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (token["ttlSeconds"] is JsonValue ttl)
            {
                token.Remove("ttlSeconds");
                token["ttl"] = Seconds(ttl.GetValue<int>());
            }
        }
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
        // The kubeconfig of file discovery is CAPI's: it is written to kubeConfigPath (DiscoveryFile), kubeadm reads the path.
        (join["discovery"]?["file"] as JsonObject)?.Remove("kubeConfig");
        ToKubeadmTimeouts(join);
        return join;
    }

    /// <summary>The discovery kubeconfig to write at <c>joinConfiguration.discovery.file.kubeConfigPath</c>, when the
    /// spec describes one (CAPI builds it with the cluster's endpoint as the default server).</summary>
    public static BootstrapFile? DiscoveryFile(BootstrapInput input)
    {
        if (input.Role == BootstrapRole.Init || input.Spec.JoinConfiguration?.Discovery?.File is not { KubeConfig: { } kubeConfig } file)
            return null;
        var cluster = new JsonObject { ["server"] = kubeConfig.Cluster?.Server ?? (input.ControlPlaneEndpoint is { } e ? $"https://{e}" : null) };
        if (kubeConfig.Cluster?.TlsServerName is { } tlsName) cluster["tls-server-name"] = tlsName;
        if (kubeConfig.Cluster?.InsecureSkipTlsVerify is { } insecure) cluster["insecure-skip-tls-verify"] = insecure;
        if (kubeConfig.Cluster?.CertificateAuthorityData is { } ca) cluster["certificate-authority-data"] = ca;
        if (kubeConfig.Cluster?.ProxyUrl is { } proxy) cluster["proxy-url"] = proxy;
        var user = new JsonObject();
        if (kubeConfig.User.AuthProvider is { } provider)
        {
            user["auth-provider"] = new JsonObject
            {
                ["name"] = provider.Name,
                ["config"] = new JsonObject((provider.Config ?? []).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            };
        }
        if (kubeConfig.User.Exec is { } exec)
        {
            var node = new JsonObject { ["command"] = exec.Command, ["apiVersion"] = exec.ApiVersion ?? "client.authentication.k8s.io/v1" };
            if (exec.Args is { Count: > 0 } args) node["args"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray());
            if (exec.Env is { Count: > 0 } env)
                node["env"] = new JsonArray(env.Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["value"] = v.Value }).ToArray());
            node["provideClusterInfo"] = exec.ProvideClusterInfo ?? false;
            user["exec"] = node;
        }
        const string name = "default";
        var kubeconfig = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = name, ["cluster"] = cluster }),
            ["users"] = new JsonArray(new JsonObject { ["name"] = name, ["user"] = user }),
            ["contexts"] = new JsonArray(new JsonObject { ["name"] = name, ["context"] = new JsonObject { ["cluster"] = name, ["user"] = name } }),
            ["current-context"] = name,
        };
        return new BootstrapFile { Path = file.KubeConfigPath, Owner = "root:root", Permissions = "0640", Content = YamlJson.ToYaml(kubeconfig) };
    }

    /// <summary>CAPI's <c>timeouts.*Seconds</c> become kubeadm v1beta4's durations (<c>discoverySeconds: 300</c> →
    /// <c>discovery: 300s</c>), as CAPI converts them when it writes the kubeadm config.</summary>
    private static void ToKubeadmTimeouts(JsonObject document)
    {
        if (document["timeouts"] is not JsonObject timeouts)
            return;
        var converted = new JsonObject();
        foreach (var (key, value) in timeouts)
        {
            if (value is JsonValue v && key.EndsWith("Seconds", StringComparison.Ordinal))
                converted[key[..^"Seconds".Length]] = Seconds(v.GetValue<int>());
        }
        document["timeouts"] = converted;
    }

    private static string Seconds(int seconds) => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s";

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
