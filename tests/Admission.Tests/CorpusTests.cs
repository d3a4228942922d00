using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission.Tests;

/// <summary>Runs every corpus case through the defaulting and validating webhooks, chained as the API server chains
/// them (the stored object of an update is the defaulted old object).</summary>
public class CorpusTests
{
    public static TheoryData<string> CaseIds() => [.. AdmissionCaseCorpus.Cases.Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_is_answered_as_expected(string id)
    {
        var c = AdmissionCaseCorpus.Find(id);
        var outcome = Run(c);

        if (c.Allowed)
        {
            outcome.Verdict.Message.ShouldBeNull();
            outcome.Allowed.ShouldBeTrue();
            foreach (var (pointer, expected) in c.Defaulted)
                JsonNode.DeepEquals(At(outcome.Patched!, pointer), expected).ShouldBeTrue($"{pointer} is {At(outcome.Patched!, pointer)?.ToJsonString() ?? "missing"}");
            return;
        }
        outcome.Allowed.ShouldBeFalse();
        outcome.Verdict.Code.ShouldBe(c.Code);
        foreach (var message in c.Messages)
            (outcome.Verdict.Message ?? "").ShouldContain(message, Case.Sensitive);
    }

    [Fact]
    public void Corpus_covers_every_kind_with_at_least_forty_refusals()
    {
        var cases = AdmissionCaseCorpus.Cases;
        cases.Count(c => !c.Allowed).ShouldBeGreaterThanOrEqualTo(40);
        var kinds = cases.Select(c => c.Object["kind"]!.GetValue<string>()).ToHashSet();
        kinds.ShouldBe(AdmissionWebhooks.Kinds.Select(k => k.Kind), ignoreOrder: true);
        foreach (var kind in AdmissionWebhooks.Kinds)
            cases.ShouldContain(c => !c.Allowed && c.Object["kind"]!.GetValue<string>() == kind.Kind, $"no refused case for {kind.Kind}");
    }

    [Fact]
    public void Refusals_name_the_object_and_carry_one_cause_per_field_error()
    {
        var c = AdmissionCaseCorpus.Find("machinedeployment: selector does not match template labels");
        var status = Run(c).Verdict.Status!;

        status["reason"]!.GetValue<string>().ShouldBe("Invalid");
        var details = status["details"]!;
        details["name"]!.GetValue<string>().ShouldBe("demo-md-0");
        details["group"]!.GetValue<string>().ShouldBe(CapiGroups.Core);
        details["kind"]!.GetValue<string>().ShouldBe("MachineDeployment");
        var cause = details["causes"]!.AsArray().ShouldHaveSingleItem()!;
        cause["field"]!.GetValue<string>().ShouldBe("spec.template.metadata.labels");
        cause["reason"]!.GetValue<string>().ShouldBe("FieldValueForbidden");
        cause["message"]!.GetValue<string>().ShouldStartWith("Forbidden: must match spec.selector");
    }

    [Fact]
    public void Several_errors_are_listed_in_brackets()
    {
        var handler = new AdmissionHandler();
        var kcp = AdmissionCaseCorpus.Find("kubeadmcontrolplane: zero replicas").Object;
        kcp["spec"]!["version"] = "banana";

        var message = handler.Admit(kcp, null, "CREATE").Verdict.Message!;

        message.ShouldStartWith("KubeadmControlPlane.cluster.x-k8s.io \"demo-control-plane\" is invalid: [spec.replicas: Forbidden: cannot be less than or equal to 0, ");
        message.ShouldContain("spec.replicas: Forbidden: cannot be an even number when etcd is stacked, ");
        message.ShouldEndWith("spec.version: Invalid value: \"vbanana\": must be a valid semantic version]");
    }

    internal static AdmissionOutcome Run(AdmissionCase c)
    {
        var handler = new AdmissionHandler(c.Options);
        JsonNode? old = null;
        if (c.OldObject is { } stored)
            old = handler.Default(stored, null, "CREATE").Patched ?? stored;
        return handler.Admit(c.Object, old, c.Operation);
    }

    private static JsonNode? At(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var segment in pointer.TrimStart('/').Split('/'))
        {
            var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            node = node switch
            {
                JsonObject o => o[key],
                JsonArray a when int.TryParse(key, out var i) && i < a.Count => a[i],
                _ => null,
            };
            if (node is null)
                return null;
        }
        return node;
    }
}
