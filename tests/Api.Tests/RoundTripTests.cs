using System.Text.Json.Nodes;
using k8s;

namespace ServerlessCapi.Api.Tests;

public class RoundTripTests
{
    public static TheoryData<string> ManifestFiles() => new()
    {
        TestFiles.Sample("quickstart.yaml"),
        TestFiles.Sample("workers-machines.yaml"),
        TestFiles.Manifest("full-objects.yaml"),
    };

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Typed_objects_write_back_every_field_they_read(string path)
    {
        var original = YamlJson.LoadAll(File.ReadAllText(path));
        var objects = Manifests.LoadFile(path);

        objects.Count.ShouldBe(original.Count);
        for (var i = 0; i < original.Count; i++)
            AssertSameTree(original[i], Manifests.ToJson(objects[i]), $"{path} document {i}");
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Yaml_written_from_typed_objects_reads_back_to_the_same_tree(string path)
    {
        var original = YamlJson.LoadAll(File.ReadAllText(path));

        var yaml = Manifests.ToYaml(Manifests.LoadFile(path));
        var reread = YamlJson.LoadAll(yaml);

        reread.Count.ShouldBe(original.Count);
        for (var i = 0; i < original.Count; i++)
            AssertSameTree(original[i], reread[i], $"{path} document {i}");
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void KubernetesClient_json_round_trip_keeps_every_field(string path)
    {
        foreach (var node in YamlJson.LoadAll(File.ReadAllText(path)))
        {
            var info = CapiKinds.Find(node["apiVersion"]?.GetValue<string>(), node["kind"]?.GetValue<string>());
            if (info is null)
                continue;
            var typed = (KubeObject)typeof(KubernetesJson).GetMethod(nameof(KubernetesJson.Deserialize), [typeof(string), typeof(System.Text.Json.JsonSerializerOptions)])!
                .MakeGenericMethod(info.ClrType).Invoke(null, [node.ToJsonString(), null])!;

            typed.ShouldBeOfType(info.ClrType);
            AssertSameTree(node, JsonNode.Parse(KubernetesJson.Serialize(typed))!, $"{info.Kind} {typed.Metadata.Name}");
        }
    }

    [Fact]
    public void Unknown_fields_survive_a_read_modify_write_at_every_level()
    {
        var machine = Manifests.Load<Machine>(File.ReadAllText(TestFiles.Manifest("full-objects.yaml"))).Single();

        machine.Spec.ProviderId = "in-memory://changed";
        machine.Status.Phase = MachinePhase.Running;
        var json = Manifests.ToJson(machine);

        json["spec"]!["providerID"]!.GetValue<string>().ShouldBe("in-memory://changed");
        json["spec"]!["bootstrap"]!["configRef"]!["futureRefField"]!.GetValue<string>().ShouldBe("x");
        json["status"]!["futureStatusField"]!["nested"]![0]!["b"]![2]!.GetValue<double>().ShouldBe(2.5);
        json["status"]!["conditions"]![1]!["futureConditionField"]!.GetValue<bool>().ShouldBeTrue();
        json["metadata"]!["managedFields"]![0]!["fieldsV1"]!["f:spec"]!["f:providerID"].ShouldBeOfType<JsonObject>();
    }

    [Fact]
    public void An_object_without_status_is_written_without_one_until_status_is_touched()
    {
        var machine = Manifests.Load<Machine>(File.ReadAllText(TestFiles.Sample("workers-machines.yaml"))).First();

        machine.HasStatus.ShouldBeFalse();
        Manifests.ToJson(machine).AsObject().ContainsKey("status").ShouldBeFalse();

        machine.Status.Phase = MachinePhase.Pending;

        machine.HasStatus.ShouldBeTrue();
        Manifests.ToJson(machine)["status"]!["phase"]!.GetValue<string>().ShouldBe(MachinePhase.Pending);
    }

    [Fact]
    public void Unknown_kinds_stay_json_trees_and_known_kinds_are_typed()
    {
        var objects = Manifests.LoadFile(TestFiles.Manifest("full-objects.yaml"));

        var configMap = objects.OfType<JsonObject>().Single();
        configMap["kind"]!.GetValue<string>().ShouldBe("ConfigMap");
        configMap["data"]!["yes"]!.GetValue<string>().ShouldBe("no");
        objects.OfType<KubeObject>().Select(o => o.Kind).ShouldBe(
        [
            "Cluster", "Machine", "MachineSet", "MachineDeployment", "MachineHealthCheck", "KubeadmConfig", "KubeadmControlPlane",
            "DevCluster", "DevMachine", "DevMachineTemplate", "DevClusterTemplate", "KubeadmConfigTemplate", "KubeadmControlPlaneTemplate",
        ]);
    }

    [Fact]
    public void Quickstart_sample_reads_into_the_expected_typed_objects()
    {
        var objects = Manifests.LoadFile(TestFiles.Sample("quickstart.yaml"));

        var cluster = objects.OfType<Cluster>().Single();
        cluster.Spec.InfrastructureRef!.Kind.ShouldBe(DevCluster.KubeKind);
        cluster.Spec.ControlPlaneRef!.Name.ShouldBe(objects.OfType<KubeadmControlPlane>().Single().Metadata.Name);
        var kcp = objects.OfType<KubeadmControlPlane>().Single();
        kcp.Spec.Replicas.ShouldBe(3);
        kcp.Spec.Version.ShouldBe("v1.33.0");
        objects.OfType<DevMachineTemplate>().Select(t => t.Metadata.Name).ShouldContain(kcp.Spec.MachineTemplate.Spec.InfrastructureRef.Name);
        var md = objects.OfType<MachineDeployment>().Single();
        md.Spec.Replicas.ShouldBe(3);
        objects.OfType<KubeadmConfigTemplate>().Single().Metadata.Name.ShouldBe(md.Spec.Template.Spec.Bootstrap.ConfigRef!.Name);
        var provisioning = objects.OfType<DevMachineTemplate>().First().Spec.Template.Spec.Backend.InMemory!.Vm!.Provisioning!;
        provisioning.StartupDurationValue.ShouldBe(TimeSpan.FromSeconds(2));
        provisioning.StartupJitterValue.ShouldBe(0.2);
        objects.OfType<MachineHealthCheck>().Single().Spec.Selector.Matches(md.Spec.Template.Metadata!.Labels).ShouldBeTrue();
        objects.OfType<KubeObject>().ShouldAllBe(o => o.Metadata.NamespaceProperty == "default");
    }

    [Fact]
    public void Workers_sample_has_three_standalone_workers_each_with_its_own_config_and_machine()
    {
        var objects = Manifests.LoadFile(TestFiles.Sample("workers-machines.yaml"));

        var machines = objects.OfType<Machine>().ToList();
        machines.Count.ShouldBe(3);
        objects.OfType<MachineDeployment>().ShouldBeEmpty();
        foreach (var machine in machines)
        {
            objects.OfType<KubeadmConfig>().ShouldContain(c => c.Metadata.Name == machine.Spec.Bootstrap.ConfigRef!.Name);
            objects.OfType<DevMachine>().ShouldContain(d => d.Metadata.Name == machine.Spec.InfrastructureRef.Name);
            machine.Metadata.Labels[CapiLabels.ClusterName].ShouldBe(machine.Spec.ClusterName);
        }
    }

    internal static void AssertSameTree(JsonNode? expected, JsonNode? actual, string what)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            throw new Xunit.Sdk.XunitException(
                $"{what} changed in a round trip.\nexpected: {expected?.ToJsonString()}\nactual:   {actual?.ToJsonString()}\nfirst difference: {FirstDifference(expected, actual, "$")}");
        }
    }

    private static string FirstDifference(JsonNode? a, JsonNode? b, string path)
    {
        switch (a, b)
        {
            case (JsonObject oa, JsonObject ob):
                foreach (var key in oa.Select(p => p.Key).Union(ob.Select(p => p.Key)))
                {
                    if (!oa.ContainsKey(key) || !ob.ContainsKey(key))
                        return $"{path}.{key} present only on one side";
                    if (!JsonNode.DeepEquals(oa[key], ob[key]))
                        return FirstDifference(oa[key], ob[key], $"{path}.{key}");
                }
                return path;
            case (JsonArray aa, JsonArray ab):
                if (aa.Count != ab.Count)
                    return $"{path} length {aa.Count} vs {ab.Count}";
                for (var i = 0; i < aa.Count; i++)
                {
                    if (!JsonNode.DeepEquals(aa[i], ab[i]))
                        return FirstDifference(aa[i], ab[i], $"{path}[{i}]");
                }
                return path;
            default:
                return $"{path}: {a?.ToJsonString()} vs {b?.ToJsonString()}";
        }
    }
}
