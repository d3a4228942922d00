using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Tests;

public class ManifestParsingTests
{
    [Fact]
    public void Multi_document_yaml_becomes_json_objects_with_yaml_scalar_types()
    {
        const string yaml = """
            ---
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Cluster
            metadata:
              name: demo
              labels: {env: dev}
            spec:
              paused: false
              clusterNetwork:
                pods:
                  cidrBlocks: ["192.168.0.0/16"]
            ---
            # only a comment
            ---
            apiVersion: infrastructure.cluster.x-k8s.io/v1beta2
            kind: DevMachineTemplate
            metadata: {name: demo-cp}
            spec:
              template:
                spec:
                  backend:
                    inMemory:
                      vm: {provisioning: {startupDuration: "2s", startupJitter: "0.2"}}
                  replicasHint: 3
                  ratio: 0.5
                  version: v1.33.0
                  empty: ~
            """;

        var docs = ManifestApplier.Parse(yaml);

        docs.Count.ShouldBe(2);
        docs[0]["spec"]!["paused"]!.GetValue<bool>().ShouldBeFalse();
        docs[0]["metadata"]!["labels"]!["env"]!.GetValue<string>().ShouldBe("dev");
        docs[0]["spec"]!["clusterNetwork"]!["pods"]!["cidrBlocks"]![0]!.GetValue<string>().ShouldBe("192.168.0.0/16");
        var spec = docs[1]["spec"]!["template"]!["spec"]!;
        spec["backend"]!["inMemory"]!["vm"]!["provisioning"]!["startupJitter"]!.GetValue<string>().ShouldBe("0.2");
        spec["replicasHint"]!.GetValue<long>().ShouldBe(3);
        spec["ratio"]!.GetValue<double>().ShouldBe(0.5);
        spec["version"]!.GetValue<string>().ShouldBe("v1.33.0");
        spec.AsObject().ContainsKey("empty").ShouldBeTrue();
        spec["empty"].ShouldBeNull();
    }

    [Fact]
    public void Broken_yaml_is_a_format_error_naming_the_line()
    {
        var e = Should.Throw<FormatException>(() => ManifestApplier.Parse("a: [1, 2\nb: c"));
        e.Message.ShouldContain("line");
    }
}
