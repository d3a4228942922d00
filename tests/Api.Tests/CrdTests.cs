using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

public class CrdTests
{
    public static TheoryData<string> Kinds() => new(CapiKinds.All.Select(k => k.Kind));

    private static KindInfo Kind(string kind) => CapiKinds.All.Single(k => k.Kind == kind);

    private static JsonObject Schema(KindInfo kind) =>
        CrdGenerator.Generate(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();

    [Fact]
    public void Checked_in_crds_match_the_generator()
    {
        var expected = CrdGenerator.GenerateAll();
        var dir = TestFiles.CrdDirectory;
        var actual = Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*.yaml").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal)
            : [];

        var stale = expected.Where(e => !actual.TryGetValue(e.Key, out var text) || text != e.Value).Select(e => e.Key)
            .Concat(actual.Keys.Where(k => !expected.ContainsKey(k))).Order().ToList();

        stale.ShouldBeEmpty($"infra/crds is out of date with the API types; run `./scapi crds` and commit the result. Differing files: {string.Join(", ", stale)}");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schemas_are_structural(string kind)
    {
        StructuralSchema.Violations(Schema(Kind(kind))).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Crd_names_scope_and_version_follow_cluster_api(string kind)
    {
        var info = Kind(kind);
        var crd = CrdGenerator.Generate(info);

        crd["metadata"]!["name"]!.GetValue<string>().ShouldBe($"{info.Plural}.{info.Group}");
        crd["spec"]!["scope"]!.GetValue<string>().ShouldBe("Namespaced");
        crd["spec"]!["names"]!["listKind"]!.GetValue<string>().ShouldBe(kind + "List");
        crd["spec"]!["names"]!["categories"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe(["cluster-api"]);
        var version = crd["spec"]!["versions"]!.AsArray().Single()!;
        version["name"]!.GetValue<string>().ShouldBe("v1beta2");
        version["served"]!.GetValue<bool>().ShouldBeTrue();
        version["storage"]!.GetValue<bool>().ShouldBeTrue();
        CrdGenerator.FileName(info).ShouldBe($"{info.Group}_{info.Plural}.yaml");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Provider_crds_carry_the_contract_label_and_core_crds_do_not(string kind)
    {
        var info = Kind(kind);
        var labels = CrdGenerator.Generate(info)["metadata"]!["labels"];

        // CAPI's own groups (core and addons) are not providers and carry no contract label.
        if (info.Group is CapiGroups.Core or CapiGroups.Addons)
            labels.ShouldBeNull();
        else
            labels![CapiLabels.ContractV1Beta2]!.GetValue<string>().ShouldBe("v1beta2");
    }

    [Theory]
    [InlineData("MachineSet")]
    [InlineData("MachineDeployment")]
    [InlineData("KubeadmControlPlane")]
    public void Scalable_kinds_have_a_scale_subresource_on_replicas(string kind)
    {
        var sub = CrdGenerator.Generate(Kind(kind))["spec"]!["versions"]![0]!["subresources"]!;

        sub["status"].ShouldBeOfType<JsonObject>();
        sub["scale"]!["specReplicasPath"]!.GetValue<string>().ShouldBe(".spec.replicas");
        sub["scale"]!["statusReplicasPath"]!.GetValue<string>().ShouldBe(".status.replicas");
        sub["scale"]!["labelSelectorPath"]!.GetValue<string>().ShouldBe(".status.selector");
        Schema(Kind(kind))["properties"]!["status"]!["properties"]!["selector"]!["type"]!.GetValue<string>().ShouldBe("string");
    }

    [Fact]
    public void Only_scalable_kinds_have_a_scale_subresource_and_templates_have_no_status_subresource()
    {
        CapiKinds.All.Where(k => k.Scale is not null).Select(k => k.Kind).Order()
            .ShouldBe(["KubeadmControlPlane", "MachineDeployment", "MachinePool", "MachineSet"]);
        CapiKinds.All.Where(k => !k.HasStatusSubresource).Select(k => k.Kind).Order()
            .ShouldBe(["ClusterResourceSetBinding", "DevClusterTemplate", "DevMachinePoolTemplate", "KubeadmConfigTemplate", "KubeadmControlPlaneTemplate",
                "MachineDrainRule"]);
    }

    [Fact]
    public void A_machine_pool_scales_on_replicas_without_a_selector_as_cluster_api_has_it()
    {
        var sub = CrdGenerator.Generate(Kind("MachinePool"))["spec"]!["versions"]![0]!["subresources"]!;

        sub["scale"]!["specReplicasPath"]!.GetValue<string>().ShouldBe(".spec.replicas");
        sub["scale"]!["statusReplicasPath"]!.GetValue<string>().ShouldBe(".status.replicas");
        sub["scale"]!["labelSelectorPath"].ShouldBeNull();
        Kind("MachinePool").ShortNames.ShouldBe(["mp"]);
    }

    [Fact]
    public void Short_names_and_machine_columns_follow_cluster_api()
    {
        Kind("Machine").ShortNames.ShouldBe(["ma"]);
        Kind("Cluster").ShortNames.ShouldBe(["cl"]);
        Kind("MachineSet").ShortNames.ShouldBe(["ms"]);
        Kind("MachineDeployment").ShortNames.ShouldBe(["md"]);
        Kind("MachineHealthCheck").ShortNames.ShouldBe(["mhc", "mhcs"]);
        Kind("KubeadmControlPlane").ShortNames.ShouldBe(["kcp"]);
        var columns = Kind("Machine").PrinterColumns.Select(c => c.Name).ToList();
        columns.ShouldContain("Cluster");
        columns.ShouldContain("Node Name");
        columns.ShouldContain("Provider ID");
        columns.ShouldContain("Phase");
        columns.ShouldContain("Age");
        columns.ShouldContain("Version");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Printer_columns_point_at_fields_the_schema_has(string kind)
    {
        var info = Kind(kind);
        var schema = Schema(info);
        foreach (var column in info.PrinterColumns)
        {
            column.Type.ShouldBeOneOf("string", "integer", "boolean", "date", "number");
            column.JsonPath.ShouldStartWith(".");
            if (column.JsonPath.StartsWith(".metadata", StringComparison.Ordinal))
                continue;
            var node = (JsonNode)schema;
            var path = System.Text.RegularExpressions.Regex.Replace(column.JsonPath, @"\[[^\]]*\]", "");
            foreach (var segment in path.TrimStart('.').Split('.'))
            {
                node = node["properties"]?[segment] ?? node["items"]?["properties"]?[segment]
                    ?? throw new Xunit.Sdk.XunitException($"{kind} column {column.Name}: {segment} of {column.JsonPath} is not in the schema");
            }
        }
    }

    [Fact]
    public void Schema_details_match_cluster_api_for_key_fields()
    {
        var machine = Schema(Kind("Machine"));
        machine["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["spec"]);
        var spec = machine["properties"]!["spec"]!;
        spec["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["bootstrap", "clusterName", "infrastructureRef"]);
        spec["properties"]!["infrastructureRef"]!["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["apiGroup", "kind", "name"]);
        var status = machine["properties"]!["status"]!["properties"]!;
        status["lastUpdated"]!["format"]!.GetValue<string>().ShouldBe("date-time");
        status["phase"]!["enum"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain(MachinePhase.Provisioned);
        status["conditions"]!["items"]!["properties"]!["observedGeneration"]!["format"]!.GetValue<string>().ShouldBe("int64");
        status["nodeRef"]!["properties"]!.AsObject().Select(p => p.Key).ShouldBe(["name"]);

        var rolling = Schema(Kind("MachineDeployment"))["properties"]!["spec"]!["properties"]!["rollout"]!["properties"]!["strategy"]!["properties"]!["rollingUpdate"]!["properties"]!;
        rolling["maxSurge"]!["x-kubernetes-int-or-string"]!.GetValue<bool>().ShouldBeTrue();

        var kubeadm = Schema(Kind("KubeadmConfig"))["properties"]!["spec"]!;
        // Every field of CAPI's KubeadmConfigSpec is modelled, so the API server prunes unknown ones as CAPI's does.
        kubeadm.AsObject().ContainsKey("x-kubernetes-preserve-unknown-fields").ShouldBeFalse();
        kubeadm["properties"]!["clusterConfiguration"]!["properties"]!["etcd"]!["properties"]!["local"]!["properties"]!["extraEnvs"]!["items"]!["required"]!
            .AsArray().Select(r => r!.GetValue<string>()).ShouldBe(["name"]);
        kubeadm["properties"]!["mounts"]!["items"]!["items"]!["type"]!.GetValue<string>().ShouldBe("string");

        Schema(Kind("DevCluster")).AsObject().ContainsKey("required").ShouldBeFalse();
        Schema(Kind("KubeadmConfigTemplate"))["properties"]!.AsObject().ContainsKey("status").ShouldBeFalse();
    }

    public static TheoryData<string> ManifestFiles() => RoundTripTests.ManifestFiles();

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Manifests_validate_against_the_schemas_without_pruning(string path)
    {
        foreach (var node in YamlJson.LoadAll(File.ReadAllText(path)))
        {
            var info = CapiKinds.Find(node["apiVersion"]?.GetValue<string>(), node["kind"]?.GetValue<string>());
            if (info is null)
                continue;

            // Fields named future* stand for fields of a newer API version: the types keep them, the
            // schema (rightly) does not know them.
            SchemaValidator.Validate(node, Schema(info)).Where(e => !e.Contains(".future", StringComparison.Ordinal))
                .ShouldBeEmpty($"{info.Kind} {node["metadata"]?["name"]}");
        }
    }

    [Fact]
    public void The_validator_reports_pruned_fields_wrong_types_and_missing_required_fields()
    {
        var node = YamlJson.Load("""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Machine
            metadata: {name: m}
            spec:
              clusterName: demo
              bootstrap: {}
              infrastructureRef: {apiGroup: g, kind: K, name: n}
              minReadySeconds: "5"
              unknownField: 1
            status:
              phase: Exploded
            """);

        var errors = SchemaValidator.Validate(node, Schema(Kind("Machine")));

        errors.ShouldContain(e => e.Contains("$.spec.unknownField: would be pruned", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("$.spec.minReadySeconds: expected integer", StringComparison.Ordinal));
        errors.ShouldContain(e => e.Contains("$.status.phase: Exploded is not one of", StringComparison.Ordinal));
        node!["spec"]!.AsObject().Remove("clusterName");
        SchemaValidator.Validate(node, Schema(Kind("Machine"))).ShouldContain(e => e.Contains("missing required clusterName", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_registered_kind_round_trips_through_its_clr_types()
    {
        foreach (var kind in CapiKinds.All)
        {
            var obj = kind.Create();
            obj.ApiVersion.ShouldBe(kind.ApiVersion);
            obj.Kind.ShouldBe(kind.Kind);
            CapiKinds.For(kind.ClrType).ShouldBeSameAs(kind);
            CapiKinds.Find(kind.ApiVersion, kind.Kind).ShouldBeSameAs(kind);
            CapiKinds.FindByResource(kind.Group, kind.Plural).ShouldBeSameAs(kind);
            var list = (k8s.IKubernetesObject)Activator.CreateInstance(kind.ListClrType)!;
            list.Kind.ShouldBe(kind.ListKind);
            list.ApiVersion.ShouldBe(kind.ApiVersion);
        }
        CapiKinds.Find("v1", "ConfigMap").ShouldBeNull();
    }
}
