using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Topology;
using ServerlessCapi.Reconcilers.Topology.Patches;
using static ServerlessCapi.Reconcilers.Tests.Topology.TopologyObjects;

namespace ServerlessCapi.Reconcilers.Tests.Topology.Patches;

public class PatchEngineTests
{
    private const string Cp = "{apiVersion: controlplane.cluster.x-k8s.io/v1beta2, kind: KubeadmControlPlaneTemplate, matchResources: {controlPlane: true}}";
    private const string DevMachine = "apiVersion: infrastructure.cluster.x-k8s.io/v1beta2\n      kind: DevMachineTemplate";

    private static readonly Cluster Basic = Cluster("class: quick\nversion: v1.34.1\nclassRef: {name: quick}\nvariables:\n- {name: registry, value: reg.example}\n- {name: port, value: 6443}");

    private static Task<TopologyPatchResult> Apply(ClusterClass cc, Cluster? cluster = null, DesiredTemplates? desired = null, IExternalPatchExtension? extension = null) =>
        new ClusterClassPatchEngine(extension is null ? [] : [extension]).ApplyAsync(cc, cluster ?? Basic, desired ?? Desired(), CancellationToken.None);

    private static ClusterClass OnePatch(string jsonPatches, string selector = Cp, string enabledIf = "") => Class($"""
        patches:
        - name: p
        {(enabledIf.Length > 0 ? $"  enabledIf: '{enabledIf}'" : "")}
          definitions:
          - selector: {selector}
            jsonPatches:
        {jsonPatches}
        """);

    private static ClusterClass WithCp(string spec) => Class(spec.Replace("{{{Cp}}}", Cp, StringComparison.Ordinal));

    private static JsonNode? At(JsonObject obj, string path) => path.Split('.').Aggregate((JsonNode?)obj, (n, k) => n?[k]);

    [Fact]
    public async Task Add_replace_and_remove_change_the_matched_object_only()
    {
        var cc = OnePatch("""
                - {op: add, path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/imageRepository, value: reg.example}
                - {op: add, path: /spec/template/spec/kubeadmConfigSpec/files, value: [{path: /a}]}
                - {op: add, path: /spec/template/spec/kubeadmConfigSpec/files/0, value: {path: /first}}
                - {op: add, path: /spec/template/spec/kubeadmConfigSpec/files/-, value: {path: /last}}
                - {op: replace, path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration/imageRepository, value: reg2.example}
                - {op: remove, path: /spec/template/spec/kubeadmConfigSpec/clusterConfiguration}
                - {op: add, path: /spec/template/spec/kubeadmConfigSpec/format, value: cloud-config}
            """);
        var desired = Desired();

        var result = await Apply(cc, desired: desired);

        result.Error.ShouldBeNull();
        var spec = At(result.Patched!.ControlPlane, "spec.template.spec.kubeadmConfigSpec")!;
        spec.ToJsonString().ShouldBe("""{"files":[{"path":"/first"},{"path":"/a"},{"path":"/last"}],"format":"cloud-config"}""");
        result.Patched.InfrastructureCluster.ToJsonString().ShouldBe(desired.InfrastructureCluster.ToJsonString());
        desired.ControlPlane["spec"]!["template"]!["spec"]!["kubeadmConfigSpec"]!.ToJsonString().ShouldBe("""{"clusterConfiguration":{}}""", "the input is not mutated");
    }

    [Theory]
    [InlineData("{op: add, path: /metadata/labels/x, value: y}", "path \"/metadata/labels/x\" must start with \"/spec/\"")]
    [InlineData("{op: add, path: /spec/, value: y}", "must start with")]
    [InlineData("{op: replace, path: /spec/template/spec/files/1, value: y}", "replace may not use an array index")]
    [InlineData("{op: add, path: /spec/template/spec/files/2, value: y}", "only the array index 0 or -")]
    public async Task Paths_outside_spec_or_with_forbidden_indexes_fail_with_the_path_field(string op, string message)
    {
        var result = await Apply(OnePatch($"        - {op}"));

        result.Error!.Field.ShouldBe("spec.patches[0].definitions[0].jsonPatches[0].path");
        result.Error.Message.ShouldContain(message);
    }

    [Fact]
    public async Task An_operation_that_does_not_apply_fails_with_its_field_path()
    {
        var result = await Apply(OnePatch("""
                    - {op: add, path: /spec/template/spec/kubeadmConfigSpec/format, value: x}
                    - {op: remove, path: /spec/template/spec/nothing/here}
            """));

        result.Error!.Field.ShouldBe("spec.patches[0].definitions[0].jsonPatches[1]");
        result.Error.Message.ShouldContain("KubeadmControlPlaneTemplate");
    }

    [Fact]
    public async Task Selector_matches_by_apiVersion_kind_and_role()
    {
        var cc = WithCp("""
            patches:
            - name: infra
              definitions:
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevClusterTemplate, matchResources: {infrastructureCluster: true}}
                jsonPatches: [{op: add, path: /spec/template/spec/backend/tag, value: infra}]
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta1, kind: DevClusterTemplate, matchResources: {infrastructureCluster: true}}
                jsonPatches: [{op: add, path: /spec/template/spec/backend/wrongVersion, value: true}]
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, matchResources: {controlPlane: true}}
                jsonPatches: [{op: add, path: /spec/template/spec/backend/tag, value: cp-machine}]
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, matchResources: {machineDeploymentClass: {names: ["default-*"]}}}
                jsonPatches: [{op: add, path: /spec/template/spec/backend/tag, value: md-prefix}]
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, matchResources: {machineDeploymentClass: {names: [other]}}}
                jsonPatches: [{op: add, path: /spec/template/spec/backend/other, value: true}]
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachinePoolTemplate, matchResources: {machinePoolClass: {names: ["*-worker"]}}}
                jsonPatches: [{op: add, path: /spec/template/spec/tag, value: mp-suffix}]
              - selector: {apiVersion: bootstrap.cluster.x-k8s.io/v1beta2, kind: KubeadmConfigTemplate, matchResources: {machineDeploymentClass: {names: ["*"]}}}
                jsonPatches: [{op: add, path: /spec/template/spec/tag, value: md-any}]
            """);

        var patched = (await Apply(cc)).Patched!;

        patched.InfrastructureCluster["spec"]!["template"]!["spec"]!["backend"]!.ToJsonString().ShouldBe("""{"tag":"infra"}""");
        At(patched.ControlPlaneMachineInfrastructure!, "spec.template.spec.backend.tag")!.ToString().ShouldBe("cp-machine");
        patched.MachineDeployments[0].Infrastructure["spec"]!["template"]!["spec"]!["backend"]!.ToJsonString().ShouldBe("""{"docker":{},"tag":"md-prefix"}""");
        At(patched.MachineDeployments[0].Bootstrap, "spec.template.spec.tag")!.ToString().ShouldBe("md-any");
        At(patched.MachinePools[0].Infrastructure, "spec.template.spec.tag")!.ToString().ShouldBe("mp-suffix");
        At(patched.MachinePools[0].Bootstrap, "spec.template.spec.tag").ShouldBeNull("machineDeploymentClass does not match MachinePools");
    }

    [Theory]
    [InlineData("{{ eq .registry \"reg.example\" }}", true)]
    [InlineData("{{ ne .registry \"reg.example\" }}", false)]
    [InlineData("{{ if .port }}true{{ end }}", true)]
    [InlineData("1", false)]
    [InlineData("{{ .registry }}", false)]
    public async Task EnabledIf_applies_the_patch_only_when_the_template_renders_true(string enabledIf, bool applied)
    {
        var result = await Apply(OnePatch("        - {op: add, path: /spec/template/spec/x, value: 1}", enabledIf: enabledIf));

        (At(result.Patched!.ControlPlane, "spec.template.spec.x") is not null).ShouldBe(applied);
    }

    [Fact]
    public async Task A_failing_enabledIf_is_reported_on_the_patch()
    {
        var result = await Apply(OnePatch("        - {op: add, path: /spec/template/spec/x, value: 1}", enabledIf: "{{ .nothing.deeper }}"));

        result.Error!.Field.ShouldBe("spec.patches[0].enabledIf");
    }

    [Fact]
    public async Task ValueFrom_variable_reads_nested_fields_and_array_items()
    {
        var cluster = Cluster("""
            classRef: {name: quick}
            version: v1.34.1
            variables:
            - name: image
              value: {repository: reg.example/k, tags: [v1, v2]}
            - name: servers
              value: [{host: a, port: 1}, {host: b, port: 2}]
            """);
        var cc = OnePatch("""
                - {op: add, path: /spec/template/spec/repo, valueFrom: {variable: image.repository}}
                - {op: add, path: /spec/template/spec/tag, valueFrom: {variable: "image.tags[1]"}}
                - {op: add, path: /spec/template/spec/second, valueFrom: {variable: "servers[1].port"}}
                - {op: add, path: /spec/template/spec/whole, valueFrom: {variable: image}}
                - {op: add, path: /spec/template/spec/cluster, valueFrom: {variable: builtin.cluster.name}}
            """);

        var spec = At((await Apply(cc, cluster)).Patched!.ControlPlane, "spec.template.spec")!;

        spec["repo"]!.ToString().ShouldBe("reg.example/k");
        spec["tag"]!.ToString().ShouldBe("v2");
        spec["second"]!.GetValue<int>().ShouldBe(2);
        spec["whole"]!.ToJsonString().ShouldBe("""{"repository":"reg.example/k","tags":["v1","v2"]}""");
        spec["cluster"]!.ToString().ShouldBe("c1");
    }

    [Theory]
    [InlineData("nothing", "variable \"nothing\" does not exist")]
    [InlineData("registry.field", "failed to lookup segment \"field\"")]
    [InlineData("port[3]", "failed to get array")]
    [InlineData("registry[", "invalid syntax")]
    public async Task A_missing_or_malformed_variable_path_fails_on_valueFrom_variable(string variable, string message)
    {
        var result = await Apply(OnePatch($"        - {{op: add, path: /spec/template/spec/x, valueFrom: {{variable: \"{variable}\"}}}}"));

        result.Error!.Field.ShouldBe("spec.patches[0].definitions[0].jsonPatches[0].valueFrom.variable");
        result.Error.Message.ShouldContain(message);
    }

    [Fact]
    public async Task ValueFrom_template_renders_yaml_into_typed_json()
    {
        var cc = OnePatch("""
                - op: add
                  path: /spec/template/spec/etcd
                  valueFrom:
                    template: |
                      local:
                        imageTag: {{ .registry }}
                        port: {{ .port }}
                - {op: add, path: /spec/template/spec/replicas, valueFrom: {template: "{{ .builtin.controlPlane.replicas }}"}}
                - {op: add, path: /spec/template/spec/quoted, valueFrom: {template: "{{ .port | quote }}"}}
            """);

        var spec = At((await Apply(cc)).Patched!.ControlPlane, "spec.template.spec")!;

        spec["etcd"]!.ToJsonString().ShouldBe("""{"local":{"imageTag":"reg.example","port":6443}}""");
        spec["replicas"]!.GetValue<long>().ShouldBe(3);
        spec["quoted"]!.GetValue<string>().ShouldBe("6443");
    }

    [Fact]
    public async Task A_value_needs_exactly_one_source()
    {
        var result = await Apply(OnePatch("        - {op: add, path: /spec/template/spec/x}"));

        result.Error!.Field.ShouldBe("spec.patches[0].definitions[0].jsonPatches[0]");
        result.Error.Message.ShouldContain("neither .value nor .valueFrom are set");
    }

    [Fact]
    public async Task Builtins_describe_the_cluster_and_each_part()
    {
        var cluster = Cluster("""
            classRef: {name: quick, namespace: classes}
            version: v1.34.1
            """, "clusterNetwork: {serviceDomain: cluster.local, services: {cidrBlocks: [10.96.0.0/12]}, pods: {cidrBlocks: [192.168.0.0/16]}}");
        var cc = WithCp("""
            patches:
            - name: builtins
              definitions:
              - selector: {{{Cp}}}
                jsonPatches:
                - {op: add, path: /spec/template/spec/b, valueFrom: {variable: builtin}}
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, matchResources: {machineDeploymentClass: {names: ["*"]}}}
                jsonPatches:
                - {op: add, path: /spec/template/spec/b, valueFrom: {variable: builtin.machineDeployment}}
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachinePoolTemplate, matchResources: {machinePoolClass: {names: ["*"]}}}
                jsonPatches:
                - {op: add, path: /spec/template/spec/b, valueFrom: {variable: builtin.machinePool}}
            """);

        var patched = (await Apply(cc, cluster)).Patched!;

        var cp = At(patched.ControlPlane, "spec.template.spec.b")!;
        cp["cluster"]!.ToJsonString().ShouldBe("""{"name":"c1","namespace":"ns","uid":"1111-2222","metadata":{"labels":{"env":"prod"}},"topology":{"version":"v1.34.1","class":"quick","classNamespace":"classes","classRef":{"name":"quick","namespace":"classes"}},"network":{"serviceDomain":"cluster.local","services":["10.96.0.0/12"],"pods":["192.168.0.0/16"]}}""");
        cp["controlPlane"]!.ToJsonString().ShouldBe("""{"version":"v1.34.1","name":"c1-cp","replicas":3,"metadata":{"labels":{"tier":"cp"}},"machineTemplate":{"infrastructureRef":{"name":"c1-cp-infra"}}}""");
        cp["machineDeployment"].ShouldBeNull();
        At(patched.MachineDeployments[0].Infrastructure, "spec.template.spec.b")!.ToJsonString().ShouldBe(
            """{"version":"v1.33.0\u002Bbuild.1","class":"default-worker","name":"c1-md-a-x7k","topologyName":"md-a","replicas":2,"bootstrap":{"configRef":{"name":"c1-md-a-boot"}},"infrastructureRef":{"name":"c1-md-a-infra"}}""");
        At(patched.MachinePools[0].Infrastructure, "spec.template.spec.b")!.ToJsonString().ShouldBe(
            """{"version":"v1.34.1","class":"pool-worker","topologyName":"mp-a","bootstrap":{"configRef":{"name":"c1-mp-a-boot"}},"infrastructureRef":{"name":"c1-mp-a-infra"}}""");
    }

    [Fact]
    public async Task Overrides_of_a_part_take_precedence_over_the_cluster_values()
    {
        var cluster = Cluster("""
            classRef: {name: quick}
            version: v1.34.1
            variables: [{name: size, value: small}]
            controlPlane: {variables: {overrides: [{name: size, value: large}]}}
            workers:
              machineDeployments:
              - {class: default-worker, name: md-a, variables: {overrides: [{name: size, value: medium}]}}
              machinePools:
              - {class: pool-worker, name: mp-a}
            """);
        var cc = WithCp("""
            patches:
            - name: size
              definitions:
              - selector: {{{Cp}}}
                jsonPatches: [{op: add, path: /spec/template/spec/size, valueFrom: {variable: size}}]
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachineTemplate, matchResources: {controlPlane: true, machineDeploymentClass: {names: ["*"]}}}
                jsonPatches: [{op: add, path: /spec/template/spec/size, valueFrom: {template: "{{ .size }}-{{ .builtin.cluster.name }}"}}]
              - selector: {apiVersion: infrastructure.cluster.x-k8s.io/v1beta2, kind: DevMachinePoolTemplate, matchResources: {machinePoolClass: {names: ["*"]}}}
                jsonPatches: [{op: add, path: /spec/template/spec/size, valueFrom: {variable: size}}]
            """);

        var patched = (await Apply(cc, cluster)).Patched!;

        At(patched.ControlPlane, "spec.template.spec.size")!.ToString().ShouldBe("large");
        At(patched.ControlPlaneMachineInfrastructure!, "spec.template.spec.size")!.ToString().ShouldBe("large-c1");
        At(patched.MachineDeployments[0].Infrastructure, "spec.template.spec.size")!.ToString().ShouldBe("medium-c1");
        At(patched.MachinePools[0].Infrastructure, "spec.template.spec.size")!.ToString().ShouldBe("small");
    }

    [Fact]
    public async Task Later_patches_see_what_earlier_patches_did()
    {
        var cc = WithCp("""
            patches:
            - name: first
              definitions:
              - selector: {{{Cp}}}
                jsonPatches: [{op: add, path: /spec/template/spec/list, value: [a]}]
            - name: second
              definitions:
              - selector: {{{Cp}}}
                jsonPatches: [{op: add, path: /spec/template/spec/list/-, value: b}]
            """);

        At((await Apply(cc)).Patched!.ControlPlane, "spec.template.spec.list")!.ToJsonString().ShouldBe("""["a","b"]""");
    }

    [Fact]
    public async Task External_patches_without_an_extension_caller_fail_clearly()
    {
        var cc = Class("patches:\n- name: ext\n  external: {generatePatchesExtension: gen.my-extension}");

        var result = await Apply(cc);

        result.Error!.Field.ShouldBe("spec.patches[0].external.generatePatchesExtension");
        result.Error.Message.ShouldContain("no runtime extension caller is registered");
    }

    [Fact]
    public async Task External_patches_are_asked_of_the_extension_and_applied()
    {
        var extension = new RecordingExtension();
        var cc = Class("patches:\n- name: ext\n  external: {generatePatchesExtension: gen.my-extension, settings: {mode: fast}}");

        var result = await Apply(cc, extension: extension);

        result.Error.ShouldBeNull();
        At(result.Patched!.ControlPlane, "spec.template.spec.fromExtension")!.ToString().ShouldBe("fast");
        extension.Request!.Variables["registry"]!.ToString().ShouldBe("reg.example");
        extension.Request.Items.Select(i => i.HolderFieldPath).ShouldContain("spec.controlPlaneRef");
    }

    [Fact]
    public async Task A_class_without_patches_returns_the_objects_as_given()
    {
        var desired = Desired();

        (await Apply(Class("variables: []"), desired: desired)).Patched.ShouldBeSameAs(desired);
    }

    private sealed class RecordingExtension : IExternalPatchExtension
    {
        public ExternalPatchRequest? Request { get; private set; }

        public Task<ExternalPatchResponse> GeneratePatchesAsync(ExternalPatchRequest request, CancellationToken ct)
        {
            Request = request;
            var patch = new JsonArray(new JsonObject { ["op"] = "add", ["path"] = "/spec/template/spec/fromExtension", ["value"] = request.Settings["mode"] });
            return Task.FromResult(new ExternalPatchResponse(new Dictionary<string, JsonArray> { ["controlPlane"] = patch }));
        }
    }
}
