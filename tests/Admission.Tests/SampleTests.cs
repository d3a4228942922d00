using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission.Tests;

/// <summary>The shipped samples pass every webhook, and defaulting what was already defaulted changes nothing.</summary>
public class SampleTests
{
    public static TheoryData<string> Samples() => ["quickstart.yaml", "workers-machines.yaml"];

    [Theory]
    [MemberData(nameof(Samples))]
    public void Sample_objects_are_admitted_and_defaulting_is_idempotent(string sample)
    {
        var handler = new AdmissionHandler();
        var objects = YamlJson.LoadAll(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", sample))).OfType<JsonObject>().ToList();
        objects.Count.ShouldBeGreaterThan(4);

        foreach (var obj in objects)
        {
            var kind = obj["kind"]!.GetValue<string>();
            var created = handler.Admit(obj, null, "CREATE");
            created.Verdict.Message.ShouldBeNull($"{kind} refused");
            created.Allowed.ShouldBeTrue();

            var again = handler.Admit(created.Patched!, created.Patched, "UPDATE");
            again.Allowed.ShouldBeTrue($"{kind} refused on a no-op update: {again.Verdict.Message}");
            (again.Patch ?? []).ShouldBeEmpty($"{kind} defaulted twice");
        }
    }

    [Fact]
    public void Quickstart_defaults_are_CAPIs()
    {
        var handler = new AdmissionHandler();
        var objects = YamlJson.LoadAll(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "quickstart.yaml"))).OfType<JsonObject>().ToList();
        var md = handler.Admit(objects.Single(o => o["kind"]!.GetValue<string>() == "MachineDeployment"), null, "CREATE").Patched!;
        var kcp = handler.Admit(objects.Single(o => o["kind"]!.GetValue<string>() == "KubeadmControlPlane"), null, "CREATE").Patched!;

        md["metadata"]!["labels"]![CapiLabels.ClusterName]!.GetValue<string>().ShouldBe("demo");
        md["spec"]!["rollout"]!["strategy"]!["type"]!.GetValue<string>().ShouldBe("RollingUpdate");
        md["spec"]!["selector"]!["matchLabels"]![CapiLabels.ClusterName]!.GetValue<string>().ShouldBe("demo");
        kcp["spec"]!["rollout"]!["strategy"]!["rollingUpdate"]!["maxSurge"]!.GetValue<int>().ShouldBe(1);
    }
}
