using System.Text;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Admission.Tests;

/// <summary>AdmissionReview v1 in and out, as the API server exchanges it with a webhook.</summary>
public class ReviewTests
{
    private readonly AdmissionHandler _handler = new();

    [Fact]
    public void Defaulting_answers_a_base64_JSON_patch_that_adds_CAPIs_defaults()
    {
        var md = AdmissionCaseCorpus.Find("machinedeployment: replicas default to 1").Object;
        md["spec"]!["template"]!["spec"]!["version"] = "1.30.1";

        var response = Handle("/mutate-cluster-x-k8s-io-v1beta2-machinedeployment", Review("CREATE", md))["response"]!;

        response["uid"]!.GetValue<string>().ShouldBe("req-1");
        response["allowed"]!.GetValue<bool>().ShouldBeTrue();
        response["patchType"]!.GetValue<string>().ShouldBe("JSONPatch");
        var patch = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(response["patch"]!.GetValue<string>())))!.AsArray();
        patch.ShouldContain(op => op!["path"]!.GetValue<string>() == "/spec/template/spec/version"
            && op["op"]!.GetValue<string>() == "replace" && op["value"]!.GetValue<string>() == "v1.30.1");
        patch.ShouldContain(op => op!["path"]!.GetValue<string>() == "/spec/replicas" && op["value"]!.GetValue<int>() == 1);
        patch.ShouldContain(op => op!["path"]!.GetValue<string>() == "/metadata/labels" && op["op"]!.GetValue<string>() == "add");
        patch.ShouldNotContain(op => op!["op"]!.GetValue<string>() == "remove");
    }

    [Fact]
    public void Validation_answers_422_Invalid_with_causes()
    {
        var machine = AdmissionCaseCorpus.Find("machine: version banana").Object;
        machine["spec"]!["version"] = "vbanana";

        var response = Handle("/validate-cluster-x-k8s-io-v1beta2-machine", Review("CREATE", machine))["response"]!;

        response["allowed"]!.GetValue<bool>().ShouldBeFalse();
        var status = response["status"]!;
        status["code"]!.GetValue<int>().ShouldBe(422);
        status["reason"]!.GetValue<string>().ShouldBe("Invalid");
        status["message"]!.GetValue<string>().ShouldBe("Machine.cluster.x-k8s.io \"demo-worker-0\" is invalid: spec.version: Invalid value: \"vbanana\": must be a valid semantic version");
        var cause = status["details"]!["causes"]!.AsArray().ShouldHaveSingleItem()!;
        cause["field"]!.GetValue<string>().ShouldBe("spec.version");
        cause["reason"]!.GetValue<string>().ShouldBe("FieldValueInvalid");
        response["patch"].ShouldBeNull();
    }

    [Fact]
    public void A_bare_refusal_answers_403()
    {
        var template = AdmissionCaseCorpus.Find("dev: cluster template created without the ClusterTopology gate").Object;

        var status = Handle("/validate-infrastructure-cluster-x-k8s-io-v1beta2-devclustertemplate", Review("CREATE", template))["response"]!["status"]!;

        status["code"]!.GetValue<int>().ShouldBe(403);
        status["reason"]!.GetValue<string>().ShouldBe("Forbidden");
    }

    [Fact]
    public void Another_kind_than_the_paths_is_a_bad_request()
    {
        var machine = AdmissionCaseCorpus.Find("machine: version normalised").Object;

        var response = Handle("/validate-cluster-x-k8s-io-v1beta2-machineset", Review("CREATE", machine))["response"]!;

        response["allowed"]!.GetValue<bool>().ShouldBeFalse();
        response["status"]!["code"]!.GetValue<int>().ShouldBe(400);
        response["status"]!["message"]!.GetValue<string>().ShouldContain("expected a MachineSet.cluster.x-k8s.io, got Machine.cluster.x-k8s.io");
    }

    [Fact]
    public void Deletes_are_allowed_without_looking_at_the_object()
    {
        var review = Review("DELETE", new JsonObject());
        review["request"]!.AsObject().Remove("object");

        Handle("/validate-cluster-x-k8s-io-v1beta2-cluster", review)["response"]!["allowed"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public void Updates_are_checked_against_the_old_object()
    {
        var old = AdmissionCaseCorpus.Find("kubeadmcontrolplane: upgrade by two minor versions");
        var review = Review("UPDATE", old.Object);
        review["request"]!["oldObject"] = old.OldObject!.DeepClone();

        var status = Handle("/validate-controlplane-cluster-x-k8s-io-v1beta2-kubeadmcontrolplane", review)["response"]!["status"]!;

        status["message"]!.GetValue<string>().ShouldContain("spec.version: Forbidden: cannot update Kubernetes version from v1.30.0 to v1.32.0");
    }

    [Fact]
    public void Paths_are_CAPIs()
    {
        var paths = AdmissionWebhooks.Endpoints.Select(e => e.Path).ToList();

        paths.Count.ShouldBe(31);
        paths.ShouldBeUnique();
        paths.ShouldContain("/mutate-cluster-x-k8s-io-v1beta2-machinedeployment");
        paths.ShouldContain("/validate-bootstrap-cluster-x-k8s-io-v1beta2-kubeadmconfig");
        paths.ShouldNotContain("/mutate-bootstrap-cluster-x-k8s-io-v1beta2-kubeadmconfig");
        paths.ShouldContain("/mutate-bootstrap-cluster-x-k8s-io-v1beta2-kubeadmconfigtemplate");
        paths.ShouldNotContain("/mutate-controlplane-cluster-x-k8s-io-v1beta2-kubeadmcontrolplanetemplate");
        paths.ShouldContain("/validate-infrastructure-cluster-x-k8s-io-v1beta2-devmachinetemplate");
        paths.ShouldContain("/validate-cluster-x-k8s-io-v1beta2-machinedrainrule");
        paths.ShouldNotContain("/mutate-cluster-x-k8s-io-v1beta2-machinedrainrule");
        paths.ShouldContain("/mutate-addons-cluster-x-k8s-io-v1beta2-clusterresourceset");
        paths.ShouldContain("/mutate-cluster-x-k8s-io-v1beta2-machinepool");
        paths.ShouldContain("/validate-cluster-x-k8s-io-v1beta2-machinepool");
        paths.ShouldContain("/validate-addons-cluster-x-k8s-io-v1beta2-clusterresourcesetbinding");
        paths.ShouldNotContain("/mutate-addons-cluster-x-k8s-io-v1beta2-clusterresourcesetbinding");
        paths.ShouldContain("/validate-cluster-x-k8s-io-v1beta2-clusterclass");
    }

    private JsonObject Handle(string path, JsonObject review) => _handler.Handle(AdmissionWebhooks.Find(path)!, review);

    private static JsonObject Review(string operation, JsonObject obj) => new()
    {
        ["apiVersion"] = "admission.k8s.io/v1",
        ["kind"] = "AdmissionReview",
        ["request"] = new JsonObject
        {
            ["uid"] = "req-1",
            ["operation"] = operation,
            ["name"] = obj["metadata"]?["name"]?.GetValue<string>(),
            ["object"] = obj.DeepClone(),
        },
    };
}
