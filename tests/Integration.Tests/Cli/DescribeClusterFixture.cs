using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary>An embedded API server with the Cluster API CRDs and one cluster in namespace <see cref="Ns"/>: two
/// healthy control-plane Machines, a MachineDeployment whose MachineSet has a healthy worker and one whose VM is
/// still booting. Statuses are written as the reconcilers would, through the status subresource.</summary>
public sealed class DescribeClusterFixture : IAsyncLifetime
{
    public const string Ns = "describe-it";
    public const string Cluster = "it";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("scapi-describe-it-");
    private EmbeddedApiServer.EmbeddedApiServer? _server;
    private KubeApi? _kube;

    public string Kubeconfig => Path.Combine(_dir.FullName, "kubeconfig");
    public string Dir => _dir.FullName;

    public async Task InitializeAsync()
    {
        _server = await TestApiServer.StartAsync();
        _server.WriteKubeconfig(Kubeconfig);
        CapiResources.Register();
        _kube = KubeApi.FromKubeconfigFile(Kubeconfig);
        var applier = new ManifestApplier(_kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
            await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file)));
        await applier.ApplyAsync(Obj("v1", "Namespace", Ns, namespaced: false));

        var healthy = Conditions(("Available", "True", "Available", null), ("Ready", "True", "Ready", null), ("UpToDate", "True", "UpToDate", null));
        var ready = Conditions(("Ready", "True", "Ready", null));

        await ApplyAsync(applier, Obj("cluster.x-k8s.io/v1beta2", "Cluster", Cluster, spec: new JsonObject
        {
            ["infrastructureRef"] = Ref("infrastructure.cluster.x-k8s.io", "DevCluster", Cluster),
            ["controlPlaneRef"] = Ref("controlplane.cluster.x-k8s.io", "KubeadmControlPlane", "it-cp"),
        }), new JsonObject
        {
            ["conditions"] = Conditions(("Available", "False", "NotAvailable", "WorkersAvailable: 1 of 2 Machines available")),
            ["controlPlane"] = Counters(2, 2, 2, 2, desired: true),
            ["workers"] = Counters(2, 1, 1, 2, desired: true),
        });
        await ApplyAsync(applier, Obj("infrastructure.cluster.x-k8s.io/v1beta2", "DevCluster", Cluster, spec: InMemory()),
            new JsonObject { ["conditions"] = ready.DeepClone() });
        var cp = await ApplyAsync(applier, Obj("controlplane.cluster.x-k8s.io/v1beta2", "KubeadmControlPlane", "it-cp", spec: new JsonObject
        {
            ["replicas"] = 2,
            ["version"] = "v1.33.0",
            ["machineTemplate"] = new JsonObject
            {
                ["spec"] = new JsonObject { ["infrastructureRef"] = Ref("infrastructure.cluster.x-k8s.io", "DevMachineTemplate", "it-cp") },
            },
        }), Counters(2, 2, 2, 2, conditions: Conditions(("Available", "True", "Available", null))));
        var md = await ApplyAsync(applier, Obj("cluster.x-k8s.io/v1beta2", "MachineDeployment", "it-md-0", spec: SetSpec("it-md-0")),
            Counters(2, 1, 1, 2, conditions: Conditions(("Available", "True", "Available", null))));
        var ms = await ApplyAsync(applier, Obj("cluster.x-k8s.io/v1beta2", "MachineSet", "it-md-0-abc", spec: SetSpec("it-md-0"), owner: md),
            Counters(2, 1, 1, 2));

        foreach (var name in new[] { "it-cp-1", "it-cp-2" })
            await MachineAsync(applier, name, cp, controlPlane: true, healthy, ready, ready);
        await MachineAsync(applier, "it-md-0-abc-1", ms, controlPlane: false, healthy, ready, ready);
        await MachineAsync(applier, "it-md-0-abc-2", ms, controlPlane: false,
            Conditions(("Available", "False", "NotReady", null), ("Ready", "False", "NotReady", "NodeHealthy: node not ready"), ("UpToDate", "True", "UpToDate", null)),
            Conditions(("Ready", "False", "WaitingForVM", "VM is booting")), ready);
    }

    public async Task DisposeAsync()
    {
        _kube?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private async Task MachineAsync(ManifestApplier applier, string name, JsonObject owner, bool controlPlane, JsonArray conditions,
        JsonArray infraConditions, JsonArray bootstrapConditions)
    {
        await ApplyAsync(applier, Obj("infrastructure.cluster.x-k8s.io/v1beta2", "DevMachine", name, spec: InMemory()),
            new JsonObject { ["conditions"] = infraConditions.DeepClone() });
        await ApplyAsync(applier, Obj("bootstrap.cluster.x-k8s.io/v1beta2", "KubeadmConfig", name),
            new JsonObject { ["conditions"] = bootstrapConditions.DeepClone() });
        var machine = Obj("cluster.x-k8s.io/v1beta2", "Machine", name, owner: owner, spec: new JsonObject
        {
            ["clusterName"] = Cluster,
            ["version"] = "v1.33.0",
            ["bootstrap"] = new JsonObject { ["configRef"] = Ref("bootstrap.cluster.x-k8s.io", "KubeadmConfig", name) },
            ["infrastructureRef"] = Ref("infrastructure.cluster.x-k8s.io", "DevMachine", name),
        });
        if (controlPlane) machine["metadata"]!["labels"]!["cluster.x-k8s.io/control-plane"] = "";
        await ApplyAsync(applier, machine, new JsonObject { ["conditions"] = conditions.DeepClone() });
    }

    /// <summary>Applies the object, then writes its status through the status subresource; returns the stored object.</summary>
    private async Task<JsonObject> ApplyAsync(ManifestApplier applier, JsonObject obj, JsonObject status)
    {
        var stored = await applier.ApplyAsync(obj);
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var resource = CapiResources.For(apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)], obj["kind"]!.GetValue<string>());
        await _kube!.SendAsync<JsonObject>(HttpMethod.Patch, $"{resource.CollectionPath(Ns)}/{obj["metadata"]!["name"]!.GetValue<string>()}/status",
            new JsonObject { ["status"] = status }.ToJsonString(), "application/merge-patch+json");
        return stored;
    }

    private static JsonObject Obj(string apiVersion, string kind, string name, JsonObject? spec = null, JsonObject? owner = null, bool namespaced = true)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (namespaced)
        {
            metadata["namespace"] = Ns;
            metadata["labels"] = new JsonObject { ["cluster.x-k8s.io/cluster-name"] = Cluster };
        }
        if (owner is not null)
        {
            metadata["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = owner["apiVersion"]!.GetValue<string>(),
                ["kind"] = owner["kind"]!.GetValue<string>(),
                ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
                ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
                ["controller"] = true,
            });
        }
        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata };
        if (spec is not null) obj["spec"] = spec;
        return obj;
    }

    private static JsonObject Ref(string group, string kind, string name) => new() { ["apiGroup"] = group, ["kind"] = kind, ["name"] = name };

    private static JsonObject InMemory() => new() { ["backend"] = new JsonObject { ["inMemory"] = new JsonObject() } };

    private static JsonObject SetSpec(string pool) => new()
    {
        ["clusterName"] = Cluster,
        ["replicas"] = 2,
        ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["pool"] = pool } },
        ["template"] = new JsonObject
        {
            ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["pool"] = pool } },
            ["spec"] = new JsonObject
            {
                ["clusterName"] = Cluster,
                ["version"] = "v1.33.0",
                ["bootstrap"] = new JsonObject { ["configRef"] = Ref("bootstrap.cluster.x-k8s.io", "KubeadmConfigTemplate", pool) },
                ["infrastructureRef"] = Ref("infrastructure.cluster.x-k8s.io", "DevMachineTemplate", pool),
            },
        },
    };

    private static JsonObject Counters(int replicas, int available, int ready, int upToDate, bool desired = false, JsonArray? conditions = null)
    {
        var counters = new JsonObject
        {
            ["replicas"] = replicas,
            ["availableReplicas"] = available,
            ["readyReplicas"] = ready,
            ["upToDateReplicas"] = upToDate,
        };
        if (desired) counters["desiredReplicas"] = replicas;
        if (conditions is not null) counters["conditions"] = conditions;
        return counters;
    }

    /// <summary>Conditions that changed a minute ago (whole seconds, as the API server keeps them).</summary>
    private static JsonArray Conditions(params (string Type, string Status, string Reason, string? Message)[] conditions)
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new JsonArray(conditions.Select(c =>
        {
            // metav1.Condition requires a message, which may be empty.
            return (JsonNode)new JsonObject
            {
                ["type"] = c.Type,
                ["status"] = c.Status,
                ["reason"] = c.Reason,
                ["message"] = c.Message ?? "",
                ["lastTransitionTime"] = since,
            };
        }).ToArray());
    }
}
