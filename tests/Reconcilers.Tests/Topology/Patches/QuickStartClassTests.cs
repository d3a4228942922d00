using System.Text.Json.Nodes;
using ServerlessCapi.Reconcilers.Topology;
using ServerlessCapi.Reconcilers.Topology.Patches;
using ServerlessCapi.Reconcilers.Topology.Variables;
using static ServerlessCapi.Reconcilers.Tests.Topology.TopologyObjects;

namespace ServerlessCapi.Reconcilers.Tests.Topology.Patches;

/// <summary>A class shaped like CAPI's dev quick-start class (registry, etcd and DNS tags, a node image from the
/// builtin versions, pod security admission from an object variable), its Cluster defaulted by the class variables
/// and then patched.</summary>
public class QuickStartClassTests
{
    private const string ClassSpec = """
        variables:
        - {name: imageRepository, required: true, schema: {openAPIV3Schema: {type: string, default: ""}}}
        - {name: etcdImageTag, required: true, schema: {openAPIV3Schema: {type: string, default: ""}}}
        - name: podSecurity
          required: false
          schema:
            openAPIV3Schema:
              type: object
              properties:
                enabled: {type: boolean, default: true}
                enforce: {type: string, default: baseline, enum: [privileged, baseline, restricted]}
        patches:
        - name: registry
          enabledIf: '{{ ne .imageRepository "" }}'
          definitions:
          - selector: {apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, matchResources: {controlPlane: true}}
            jsonPatches:
            - {op: add, path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/imageRepository, valueFrom: {variable: imageRepository}}
        - name: etcd
          enabledIf: '{{ ne .etcdImageTag "" }}'
          definitions:
          - selector: {apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, matchResources: {controlPlane: true}}
            jsonPatches:
            - op: add
              path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/etcd
              valueFrom:
                template: |
                  local:
                    imageTag: {{ .etcdImageTag }}
        - name: nodeImage
          definitions:
          - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, matchResources: {machineDeploymentClass: {names: [default-worker]}}}
            jsonPatches:
            - {op: add, path: /spec/template/spec/backend/docker/customImage, valueFrom: {template: 'kindest/node:{{ .builtin.machineDeployment.version | replace "+" "_" }}'}}
          - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, matchResources: {controlPlane: true}}
            jsonPatches:
            - {op: add, path: /spec/template/spec/backend/docker/customImage, valueFrom: {template: 'kindest/node:{{ .builtin.controlPlane.version | replace "+" "_" }}'}}
        - name: podSecurity
          enabledIf: '{{ .podSecurity.enabled }}'
          definitions:
          - selector: {apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, matchResources: {controlPlane: true}}
            jsonPatches:
            - op: add
              path: /spec/template/spec/kubeadmConfigSpec/files
              valueFrom:
                template: |
                  - path: /etc/kubernetes/pss.yaml
                    content: |
                      enforce: "{{ .podSecurity.enforce }}"
                      exemptions: [{{ .builtin.cluster.namespace | quote }}]
        """;

    private static async Task<(DesiredTemplates? Patched, TopologyFieldError? Error)> Run(string variablesYaml)
    {
        var cc = Class(ClassSpec);
        var variables = new ClusterClassVariables();
        var status = await variables.ComputeStatusAsync(cc, CancellationToken.None);
        status.Error.ShouldBeNull();
        var cluster = Cluster("classRef: {name: quick}\nversion: v1.34.1\n" + variablesYaml);
        variables.ValidateAndDefault(cluster, status.Variables).ShouldBeEmpty();
        var result = await new ClusterClassPatchEngine([]).ApplyAsync(cc, cluster, Desired(), CancellationToken.None);
        return (result.Patched, result.Error);
    }

    [Fact]
    public async Task Defaults_alone_turn_on_only_the_unconditional_patches()
    {
        var (patched, error) = await Run("variables: [{name: podSecurity, value: {enabled: false}}]");

        error.ShouldBeNull();
        patched!.ControlPlane["spec"]!["template"]!["spec"]!["kubeadmConfigSpec"]!.ToJsonString().ShouldBe("""{"clusterConfiguration":{}}""");
        patched.MachineDeployments[0].Infrastructure["spec"]!["template"]!["spec"]!["backend"]!["docker"]!["customImage"]!.ToString().ShouldBe("kindest/node:v1.33.0_build.1");
        patched.ControlPlaneMachineInfrastructure!["spec"]!["template"]!["spec"]!["backend"]!["docker"]!["customImage"]!.ToString().ShouldBe("kindest/node:v1.34.1");
    }

    [Fact]
    public async Task Set_variables_patch_the_control_plane()
    {
        var (patched, error) = await Run("variables: [{name: imageRepository, value: reg.example}, {name: etcdImageTag, value: 3.6.0-0}, {name: podSecurity, value: {enforce: restricted}}]");

        error.ShouldBeNull();
        var spec = patched!.ControlPlane["spec"]!["template"]!["spec"]!["kubeadmConfigSpec"]!;
        spec["clusterConfiguration"]!.ToJsonString().ShouldBe("""{"imageRepository":"reg.example","etcd":{"local":{"imageTag":"3.6.0-0"}}}""");
        var file = spec["files"]!.AsArray().ShouldHaveSingleItem()!;
        file["path"]!.ToString().ShouldBe("/etc/kubernetes/pss.yaml");
        file["content"]!.ToString().ShouldBe("enforce: \"restricted\"\nexemptions: [\"ns\"]");
    }
}
