using k8s;
using ServerlessCapi.EmbeddedApiServer;

namespace ServerlessCapi.Testing;

/// <summary>Starts the embedded API server for tests and builds clients for it.</summary>
/// <remarks>Most tests share one server per test process (<see cref="SharedAsync"/>) and isolate themselves by
/// namespace or workload-cluster name; tests that need special options start their own.</remarks>
public static class TestApiServer
{
    private static readonly Lazy<Task<EmbeddedApiServer.EmbeddedApiServer>> Shared = new(() => StartAsync());

    /// <summary>The process-wide server (started on first use; stops when the process exits).</summary>
    public static Task<EmbeddedApiServer.EmbeddedApiServer> SharedAsync() => Shared.Value;

    public static Task<EmbeddedApiServer.EmbeddedApiServer> StartAsync(EmbeddedApiServerOptions? options = null) =>
        EmbeddedApiServer.EmbeddedApiServer.StartAsync(options ?? new EmbeddedApiServerOptions());

    /// <summary>A KubernetesClient for the management cluster (null) or a workload cluster, loaded from the
    /// server's own kubeconfig so the test exercises the same path users take.</summary>
    public static Kubernetes CreateClient(this EmbeddedApiServer.EmbeddedApiServer server, string? cluster = null) =>
        new(ClientConfig(server, cluster));

    public static KubernetesClientConfiguration ClientConfig(this EmbeddedApiServer.EmbeddedApiServer server, string? cluster = null)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(server.KubeconfigYaml(cluster)));
        return KubernetesClientConfiguration.BuildConfigFromConfigFile(stream);
    }
}
