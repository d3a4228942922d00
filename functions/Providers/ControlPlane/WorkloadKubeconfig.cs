using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Providers.ControlPlane;

/// <summary>The kubeconfig of a workload cluster, as the control plane writes it into <c>&lt;cluster&gt;-kubeconfig</c>.</summary>
/// <remarks>The in-memory cloud serves every workload cluster from one API server under the path prefix
/// <c>/clusters/&lt;ns&gt;--&lt;name&gt;</c>, so the server URL carries a path, and it authenticates with the
/// cluster's own bearer token (<see cref="InMemory.WorkloadClusterTokens"/>) instead of client certificates. Its serving certificate is made afresh whenever the
/// cloud starts, so the kubeconfig does not pin it (insecure-skip-tls-verify; the simulated clusters hold
/// no data worth protecting and the server listens on loopback).</remarks>
public static class WorkloadKubeconfig
{
    public static string SecretName(string clusterName) => $"{clusterName}-kubeconfig";

    public static string Build(string clusterName, string server, string? token)
    {
        var context = $"{clusterName}-admin@{clusterName}";
        var cluster = new JsonObject { ["server"] = server };
        if (server.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) cluster["insecure-skip-tls-verify"] = true;
        var doc = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Config",
            ["clusters"] = new JsonArray(new JsonObject { ["name"] = clusterName, ["cluster"] = cluster }),
            ["users"] = new JsonArray(new JsonObject
            {
                ["name"] = $"{clusterName}-admin",
                ["user"] = string.IsNullOrEmpty(token) ? new JsonObject() : new JsonObject { ["token"] = token },
            }),
            ["contexts"] = new JsonArray(new JsonObject
            {
                ["name"] = context,
                ["context"] = new JsonObject { ["cluster"] = clusterName, ["user"] = $"{clusterName}-admin" },
            }),
            ["current-context"] = context,
        };
        return YamlJson.ToYaml(doc);
    }
}
