using ServerlessCapi.Api.Templates;

namespace ServerlessCapi.Api.Tests.Templates;

/// <summary>What <c>generate cluster</c> adds around the processor: well-known variables, their validation and
/// precedence, the target namespace, and the variable listing.</summary>
public class ClusterTemplateTests
{
    private const string Template = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: placeholder
        ---
        apiVersion: cluster.x-k8s.io/v1beta2
        kind: Cluster
        metadata:
          name: ${CLUSTER_NAME}
          namespace: somewhere-else
        spec:
          topology:
            version: ${KUBERNETES_VERSION}
            controlPlane:
              replicas: ${CONTROL_PLANE_MACHINE_COUNT}
            workers:
              machineDeployments:
              - name: md-0
                replicas: ${WORKER_MACHINE_COUNT}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: ${CLUSTER_NAME}-admin
        subjects:
        - kind: ServiceAccount
          name: robot
          namespace: ${NAMESPACE}-old
        - kind: User
          name: alice
        """;

    private static Func<string, string?> Env(params (string Key, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Key == name).Value;

    [Fact]
    public void Objects_land_in_the_target_namespace_with_the_well_known_variables_set()
    {
        var yaml = ClusterTemplate.Generate(Template, new ClusterTemplateOptions("demo", "team-a", "v1.34.1"), Env());
        var docs = YamlJson.LoadAll(yaml);
        docs.Count.ShouldBe(3);
        docs[0]["metadata"]!["name"]!.GetValue<string>().ShouldBe("team-a");
        docs[0]["metadata"]!["namespace"].ShouldBeNull();
        var cluster = docs[1];
        cluster["metadata"]!["name"]!.GetValue<string>().ShouldBe("demo");
        cluster["metadata"]!["namespace"]!.GetValue<string>().ShouldBe("team-a");
        cluster["spec"]!["topology"]!["version"]!.GetValue<string>().ShouldBe("v1.34.1");
        cluster["spec"]!["topology"]!["controlPlane"]!["replicas"]!.GetValue<long>().ShouldBe(1);
        cluster["spec"]!["topology"]!["workers"]!["machineDeployments"]![0]!["replicas"]!.GetValue<long>().ShouldBe(0);
        var binding = docs[2];
        binding["metadata"]!["namespace"].ShouldBeNull();
        binding["subjects"]![0]!["namespace"]!.GetValue<string>().ShouldBe("team-a");
        binding["subjects"]![1]!["namespace"].ShouldBeNull();
    }

    [Fact]
    public void Flags_beat_the_environment_and_the_environment_beats_the_built_in_counts()
    {
        var env = Env(("KUBERNETES_VERSION", "v1.33.0"), ("CONTROL_PLANE_MACHINE_COUNT", "3"), ("WORKER_MACHINE_COUNT", "5"), ("CLUSTER_NAME", "ignored"));
        var fromEnv = ClusterTemplate.WellKnownVariables(new ClusterTemplateOptions("demo", "default"), env);
        fromEnv["CONTROL_PLANE_MACHINE_COUNT"].ShouldBe("3");
        fromEnv["WORKER_MACHINE_COUNT"].ShouldBe("5");
        fromEnv["CLUSTER_NAME"].ShouldBe("demo");
        fromEnv.ShouldNotContainKey("KUBERNETES_VERSION"); // the environment's value is used as is
        var fromFlags = ClusterTemplate.WellKnownVariables(new ClusterTemplateOptions("demo", "default", "v1.34.0", 5, 2), env);
        fromFlags["KUBERNETES_VERSION"].ShouldBe("v1.34.0");
        fromFlags["CONTROL_PLANE_MACHINE_COUNT"].ShouldBe("5");
        fromFlags["WORKER_MACHINE_COUNT"].ShouldBe("2");
        var yaml = ClusterTemplate.Generate(Template, new ClusterTemplateOptions("demo", "default"), env);
        YamlJson.LoadAll(yaml)[1]["spec"]!["topology"]!["version"]!.GetValue<string>().ShouldBe("v1.33.0");
    }

    [Theory]
    [InlineData("Demo", "default", null, null, null, "invalid cluster name")]
    [InlineData("demo", "Team_A", null, null, null, "invalid target-namespace")]
    [InlineData("demo", "default", "1.34", null, null, "invalid kubernetes version")]
    [InlineData("demo", "default", null, 0L, null, "control plane machine count")]
    [InlineData("demo", "default", null, null, -1L, "worker machine count")]
    public void Invalid_options_are_refused(string name, string ns, string? version, long? cp, long? workers, string message) =>
        Should.Throw<ArgumentException>(() => ClusterTemplate.WellKnownVariables(new ClusterTemplateOptions(name, ns, version, cp, workers), Env()))
            .Message.ShouldContain(message);

    [Fact]
    public void A_count_in_the_environment_must_be_a_number() =>
        Should.Throw<ArgumentException>(() => ClusterTemplate.WellKnownVariables(new ClusterTemplateOptions("demo", "default"), Env(("WORKER_MACHINE_COUNT", "many"))))
            .Message.ShouldContain("WORKER_MACHINE_COUNT");

    [Fact]
    public void Missing_variables_are_reported_not_rendered_empty() =>
        Should.Throw<MissingTemplateVariablesException>(() => ClusterTemplate.Generate(Template, new ClusterTemplateOptions("demo", "default"), Env()))
            .Missing.ShouldBe(["KUBERNETES_VERSION"]);

    [Fact]
    public void The_variable_list_separates_required_from_optional_and_shows_what_each_would_be()
    {
        var text = ClusterTemplate.ListVariables(Template + "\n# ${REGION:=eu-west}\n# ${SSH_KEY}\n",
            new ClusterTemplateOptions("demo", "team-a", null, null, 4), Env(("CONTROL_PLANE_MACHINE_COUNT", "3")));
        text.ShouldBe("""
            Required Variables:
              - KUBERNETES_VERSION
              - SSH_KEY

            Optional Variables:
              - CLUSTER_NAME                 (defaults to demo)
              - CONTROL_PLANE_MACHINE_COUNT  (defaults to 3)
              - NAMESPACE                    (defaults to team-a)
              - REGION                       (defaults to "eu-west")
              - WORKER_MACHINE_COUNT         (defaults to 4)


            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
