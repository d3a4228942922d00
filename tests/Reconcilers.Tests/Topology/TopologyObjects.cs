using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Topology;

namespace ServerlessCapi.Reconcilers.Tests.Topology;

/// <summary>Builds ClusterClasses, Clusters and generated objects for the patch and variable tests from YAML.</summary>
internal static class TopologyObjects
{
    public static T FromYaml<T>(string yaml) => YamlJson.Load(yaml).Deserialize<T>(Manifests.JsonOptions)!;

    public static JsonObject Json(string yaml) => (JsonObject)YamlJson.Load(yaml)!;

    public static ClusterClass Class(string specYaml) => FromYaml<ClusterClass>(
        "apiVersion: cluster.x-k8s.io/v1beta2\nkind: ClusterClass\nmetadata: {name: quick, namespace: ns}\nspec:\n" + Indent(specYaml));

    public static Cluster Cluster(string topologyYaml, string extraSpec = "") => FromYaml<Cluster>($"""
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata:
          name: c1
          namespace: ns
          uid: 1111-2222
          labels: {"{env: prod}"}
        spec:
        {Indent(extraSpec)}
          topology:
        {Indent(Indent(topologyYaml))}
        """);

    /// <summary>Template-shaped objects: a dev cluster, a kubeadm control plane with a machine template, one
    /// MachineDeployment "md-a" of class default-worker and one MachinePool "mp-a" of class pool-worker.</summary>
    public static DesiredTemplates Desired() => new()
    {
        InfrastructureCluster = Json("{apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevClusterTemplate, metadata: {name: c1-infra}, spec: {template: {spec: {backend: {}}}}}"),
        ControlPlane = Json("{apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, metadata: {name: c1-cp, labels: {tier: cp}}, spec: {template: {spec: {kubeadmConfigSpec: {clusterConfiguration: {}}}}}}"),
        ControlPlaneMachineInfrastructure = Json("{apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, metadata: {name: c1-cp-infra}, spec: {template: {spec: {backend: {docker: {}}}}}}"),
        ControlPlaneVersion = "v1.34.1",
        ControlPlaneReplicas = 3,
        MachineDeployments =
        [
            new()
            {
                TopologyName = "md-a",
                Class = "default-worker",
                Name = "c1-md-a-x7k",
                Version = "v1.33.0+build.1",
                Replicas = 2,
                Bootstrap = Json("{apiVersion: bootstrap.cluster.x-k8s.io/v1beta2, kind: KubeadmConfigTemplate, metadata: {name: c1-md-a-boot}, spec: {template: {spec: {joinConfiguration: {}}}}}"),
                Infrastructure = Json("{apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, metadata: {name: c1-md-a-infra}, spec: {template: {spec: {backend: {docker: {}}}}}}"),
            },
        ],
        MachinePools =
        [
            new()
            {
                TopologyName = "mp-a",
                Class = "pool-worker",
                Version = "v1.34.1",
                Bootstrap = Json("{apiVersion: bootstrap.cluster.x-k8s.io/v1beta2, kind: KubeadmConfigTemplate, metadata: {name: c1-mp-a-boot}, spec: {template: {spec: {}}}}"),
                Infrastructure = Json("{apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachinePoolTemplate, metadata: {name: c1-mp-a-infra}, spec: {template: {spec: {}}}}"),
            },
        ],
    };

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => l.Length == 0 ? l : "  " + l));
}
