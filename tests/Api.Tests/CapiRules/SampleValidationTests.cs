using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

/// <summary>Every Cluster API object in samples/ and in the tests' manifests satisfies its generated CRD schema,
/// CAPI's rules included, so the API server would accept it.</summary>
public class SampleValidationTests
{
    public static TheoryData<string> Files() => new(FilePaths());

    private static IEnumerable<string> FilePaths()
    {
        var root = TestFiles.RepoRoot;
        var files = Directory.GetFiles(Path.Combine(root, "samples"), "*.yaml")
            .Concat(Directory.GetDirectories(Path.Combine(root, "tests"), "Manifests", SearchOption.AllDirectories)
                .Where(d => !d.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .SelectMany(d => Directory.GetFiles(d, "*.yaml")))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Cluster_api_objects_satisfy_their_crd(string file)
    {
        var errors = new List<string>();
        foreach (var node in YamlJson.LoadAll(File.ReadAllText(Path.Combine(TestFiles.RepoRoot, file))))
        {
            var info = CapiKinds.Find(node["apiVersion"]?.GetValue<string>(), node["kind"]?.GetValue<string>());
            if (info is null)
                continue;
            // Fields named future* stand for fields of a newer API version: the types keep them, the schema
            // (rightly) does not know them.
            errors.AddRange(SchemaValidator.Validate(node, Schema(info))
                .Where(e => !e.Contains(".future", StringComparison.Ordinal))
                .Select(e => $"{info.Kind} {node["metadata"]?["name"]}: {e}"));
        }

        errors.ShouldBeEmpty();
    }

    [Fact]
    public void The_samples_hold_objects_of_the_core_and_provider_kinds()
    {
        var kinds = FilePaths()
            .SelectMany(f => YamlJson.LoadAll(File.ReadAllText(Path.Combine(TestFiles.RepoRoot, f))))
            .Select(n => n["kind"]?.GetValue<string>()).ToHashSet();

        foreach (var kind in (string[])["Cluster", "Machine", "MachineDeployment", "MachineHealthCheck", "KubeadmControlPlane", "KubeadmConfigTemplate", "DevCluster", "DevMachineTemplate"])
            kinds.ShouldContain(kind);
    }

    [Fact]
    public void The_validator_applies_capi_bounds_patterns_and_list_keys()
    {
        var machine = YamlJson.Load($$$"""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Machine
            metadata: {name: m}
            spec:
              clusterName: {{{new string('c', 64)}}}
              bootstrap: {configRef: {apiGroup: g, kind: K, name: ""}}
              infrastructureRef: {apiGroup: Infra_Group, kind: DevMachine, name: m}
              minReadySeconds: -1
              readinessGates: []
              taints:
              - {key: a, effect: NoSchedule, propagation: Always}
              - {key: a, effect: NoSchedule, propagation: OnInitialization}
              deletion: {}
            """);

        var errors = SchemaValidator.Validate(machine, Schema(CapiKinds.All.Single(k => k.Kind == "Machine")));

        errors.ShouldContain("$.spec.clusterName: 64 characters, more than 63");
        errors.ShouldContain("$.spec.bootstrap.configRef.name: 0 characters, fewer than 1");
        errors.ShouldContain(e => e.StartsWith("$.spec.infrastructureRef.apiGroup: Infra_Group does not match", StringComparison.Ordinal));
        errors.ShouldContain("$.spec.minReadySeconds: -1 is less than 0");
        errors.ShouldContain("$.spec.readinessGates: has 0 items, fewer than 1");
        errors.ShouldContain("""$.spec.taints: duplicate entry "a"|"NoSchedule" """.TrimEnd());
        errors.ShouldContain("$.spec.deletion: has 0 fields, fewer than 1");
    }

    private static JsonObject Schema(KindInfo kind) =>
        CrdGenerator.Generate(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
}
