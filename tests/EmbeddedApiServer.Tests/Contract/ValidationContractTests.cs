using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using static ServerlessCapi.EmbeddedApiServer.Tests.Contract.ContractTarget;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>What the server refuses with 422 Invalid: schema and rule failures of custom resources on every write
/// path, metadata of any kind, and CustomResourceDefinitions that a real API server would not accept.</summary>
public sealed class ValidationContractTests
{
    private const string Merge = "application/merge-patch+json";

    private static string ProbesPath(string ns, string? name = null, string? sub = null) =>
        $"apis/{Group}/v1/namespaces/{ns}/probes" + (name is null ? "" : $"/{name}") + (sub is null ? "" : $"/{sub}");

    private static JsonObject Probe(string name, JsonObject spec) => new()
    {
        ["apiVersion"] = $"{Group}/v1",
        ["kind"] = "Probe",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = spec,
    };

    private static JsonObject ValidProbe(string name) => Probe(name, new JsonObject { ["clusterName"] = "c1", ["zone"] = "a" });

    private static JsonObject Cause(JsonObject? status, string field) =>
        (status.At("details.causes") as JsonArray)!.OfType<JsonObject>().Single(c => c.Str("field") == field);

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task A_missing_required_field_is_422_Invalid_with_the_field_path(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var (code, status) = await t.SendAsync(HttpMethod.Post, ProbesPath(ns), Probe("p1", new JsonObject { ["replicas"] = 2 }));

        code.ShouldBe(422);
        status.Str("reason").ShouldBe("Invalid");
        status.Str("message").ShouldBe("Probe.example.com \"p1\" is invalid: [spec.clusterName: Required value, <nil>: Invalid value: null: "
            + "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]");
        status.Str("details.kind").ShouldBe("Probe");
        Cause(status, "spec.clusterName").Str("reason").ShouldBe("FieldValueRequired");
        Cause(status, "<nil>").Str("reason").ShouldBe("FieldValueInvalid", "the CRD's rules were skipped, and the answer says so");
        (await t.SendAsync(HttpMethod.Get, ProbesPath(ns, "p1"))).Code.ShouldBe(404);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Bounds_enums_and_types_are_refused_with_a_cause_each(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var spec = new JsonObject { ["clusterName"] = "c1", ["replicas"] = 11, ["mode"] = "Turbo" };
        var (code, status) = await t.SendAsync(HttpMethod.Post, ProbesPath(ns), Probe("p1", spec));

        code.ShouldBe(422);
        Cause(status, "spec.replicas").Str("reason").ShouldBe("FieldValueInvalid");
        Cause(status, "spec.mode").Str("reason").ShouldBe("FieldValueNotSupported");
        status.Str("message")!.ShouldContain("spec.mode: Unsupported value: \"Turbo\": supported values: \"Fast\", \"Slow\"");

        var (typed, typeStatus) = await t.SendAsync(HttpMethod.Post, ProbesPath(ns), Probe("p2", new JsonObject { ["clusterName"] = "c1", ["replicas"] = "two" }));
        typed.ShouldBe(422);
        Cause(typeStatus, "spec.replicas").Str("reason").ShouldBe("FieldValueTypeInvalid");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Every_patch_type_that_breaks_a_rule_is_refused_and_leaves_the_object_as_it_was(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        (await t.SendAsync(HttpMethod.Post, ProbesPath(ns), ValidProbe("p"))).Code.ShouldBe(201);

        var merge = await t.SendAsync(HttpMethod.Patch, ProbesPath(ns, "p"), JsonNode.Parse("""{"spec":{"paused":true,"replicas":3}}"""), Merge);
        merge.Code.ShouldBe(422);
        merge.Body.Str("message").ShouldBe("Probe.example.com \"p\" is invalid: spec.replicas: Invalid value: replicas must be 0 while paused");

        var json = await t.SendAsync(HttpMethod.Patch, ProbesPath(ns, "p"),
            JsonNode.Parse("""[{"op":"add","path":"/spec/paused","value":true}]"""), "application/json-patch+json");
        json.Code.ShouldBe(422, "the default replicas (1) breaks the rule once paused");

        var applied = Probe("p", new JsonObject { ["clusterName"] = "c1", ["zone"] = "a", ["paused"] = true, ["replicas"] = 2 });
        var apply = await t.SendAsync(HttpMethod.Patch, ProbesPath(ns, "p") + "?fieldManager=tests&force=true", applied, "application/apply-patch+yaml");
        apply.Code.ShouldBe(422);

        var stored = (await t.SendAsync(HttpMethod.Get, ProbesPath(ns, "p"))).Body;
        stored.At("spec.paused").ShouldBeNull();
        stored.Long("spec.replicas").ShouldBe(1);

        (await t.SendAsync(HttpMethod.Patch, ProbesPath(ns, "p"), JsonNode.Parse("""{"spec":{"paused":true,"replicas":0}}"""), Merge)).Code.ShouldBe(200);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task A_transition_rule_compares_with_the_stored_value(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        (await t.SendAsync(HttpMethod.Post, ProbesPath(ns), ValidProbe("p"))).Code.ShouldBe(201);

        var (code, status) = await t.SendAsync(HttpMethod.Patch, ProbesPath(ns, "p"), JsonNode.Parse("""{"spec":{"zone":"b"}}"""), Merge);
        code.ShouldBe(422);
        Cause(status, "spec.zone").Str("message").ShouldBe("Invalid value: \"b\": zone is immutable");
        (await t.SendAsync(HttpMethod.Patch, ProbesPath(ns, "p"), JsonNode.Parse("""{"spec":{"mode":"Slow"}}"""), Merge)).Code.ShouldBe(200);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Status_updates_validate_status_and_ignore_spec(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var created = (await t.SendAsync(HttpMethod.Post, ProbesPath(ns), ValidProbe("p"))).Body!;

        var bad = (JsonObject)created.DeepClone();
        bad["status"] = new JsonObject { ["phase"] = "Lost" };
        var (code, status) = await t.SendAsync(HttpMethod.Put, ProbesPath(ns, "p", "status"), bad);
        code.ShouldBe(422);
        Cause(status, "status.phase").Str("reason").ShouldBe("FieldValueNotSupported");

        var specOnly = (JsonObject)created.DeepClone();
        specOnly["spec"]!["replicas"] = 99;
        specOnly["status"] = new JsonObject { ["phase"] = "Running" };
        var (ok, updated) = await t.SendAsync(HttpMethod.Put, ProbesPath(ns, "p", "status"), specOnly);
        ok.ShouldBe(200, "an invalid spec sent to /status is ignored, not validated");
        updated.Long("spec.replicas").ShouldBe(1);
        updated.Str("status.phase").ShouldBe("Running");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Metadata_of_built_in_kinds_is_validated(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var big = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "big", Annotations = new Dictionary<string, string> { ["note"] = new string('x', 300 * 1024) } },
        };
        var tooLong = await Should.ThrowAsync<HttpOperationException>(() => t.Kube.CoreV1.CreateNamespacedConfigMapAsync(big, ns));
        ((int)tooLong.Response.StatusCode).ShouldBe(422);
        Message(tooLong).ShouldBe("ConfigMap \"big\" is invalid: metadata.annotations: Too long: may not be more than 262144 bytes");

        var longName = new string('n', 254);
        var named = await Should.ThrowAsync<HttpOperationException>(() => t.Kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = longName } }, ns));
        Message(named).ShouldBe($"ConfigMap \"{longName}\" is invalid: metadata.name: Invalid value: \"{longName}\": must be no more than 253 characters");

        var longValue = new string('v', 64);
        var valued = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "valued", Labels = new Dictionary<string, string> { ["k"] = longValue } } };
        var badValue = await Should.ThrowAsync<HttpOperationException>(() => t.Kube.CoreV1.CreateNamespacedConfigMapAsync(valued, ns));
        Message(badValue).ShouldBe($"ConfigMap \"valued\" is invalid: metadata.labels: Invalid value: \"{longValue}\": must be no more than 63 bytes");

        var orphan = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "owned",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = "" }],
            },
        };
        var noUid = await Should.ThrowAsync<HttpOperationException>(() => t.Kube.CoreV1.CreateNamespacedConfigMapAsync(orphan, ns));
        ((int)noUid.Response.StatusCode).ShouldBe(422);
        Message(noUid).ShouldBe("ConfigMap \"owned\" is invalid: metadata.ownerReferences.uid: Invalid value: \"\": must not be empty");

        var labelled = new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "labelled", Labels = new Dictionary<string, string> { ["bad key"] = "v" } } };
        var badLabel = await Should.ThrowAsync<HttpOperationException>(() => t.Kube.CoreV1.CreateNamespacedConfigMapAsync(labelled, ns));
        ((int)badLabel.Response.StatusCode).ShouldBe(422);
        Message(badLabel).ShouldStartWith("ConfigMap \"labelled\" is invalid: metadata.labels: Invalid value: \"bad key\": name part must consist of");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task The_uid_of_an_object_cannot_change(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var created = (await t.SendAsync(HttpMethod.Post, ProbesPath(ns), ValidProbe("p"))).Body!;
        var storedUid = created.Str("metadata.uid");
        var otherUid = Guid.NewGuid().ToString();
        created["metadata"]!["uid"] = otherUid;

        // A replace that names a uid makes it a storage precondition: a different one is a conflict, not invalid.
        var (code, status) = await t.SendAsync(HttpMethod.Put, ProbesPath(ns, "p"), created);
        code.ShouldBe(409);
        status.Str("reason").ShouldBe("Conflict");
        status.Str("message").ShouldBe($"Operation cannot be fulfilled on probes.example.com \"p\": StorageError: invalid object, Code: 4, "
            + $"Key: /registry/example.com/probes/{ns}/p, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: {otherUid}, UID in object meta: {storedUid}");

        // A patch that changes it is validated as an update of an immutable field.
        var (patched, patchStatus) = await t.SendAsync(HttpMethod.Patch, ProbesPath(ns, "p"), new JsonObject { ["metadata"] = new JsonObject { ["uid"] = otherUid } }, Merge);
        patched.ShouldBe(422);
        patchStatus.Str("message").ShouldBe($"Probe.example.com \"p\" is invalid: metadata.uid: Invalid value: \"{otherUid}\": field is immutable");
        // A real server lists the same cause twice (metadata and schema validation each find it); one is enough here.
        var uidCauses = (patchStatus.At("details.causes") as JsonArray)!.OfType<JsonObject>().Where(c => c.Str("field") == "metadata.uid").ToList();
        uidCauses.ShouldNotBeEmpty();
        uidCauses.ShouldAllBe(c => c.Str("message") == $"Invalid value: \"{otherUid}\": field is immutable");
        (await t.SendAsync(HttpMethod.Get, ProbesPath(ns, "p"))).Body.Str("metadata.uid").ShouldBe(storedUid);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task A_CRD_whose_list_map_keys_are_neither_required_nor_defaulted_is_refused(string name)
    {
        var t = await GetAsync(name);
        // The Widget CRD as it was before its list-map keys were made required.
        var crd = (JsonObject)JsonNode.Parse(JsonSerializer(await File.ReadAllTextAsync(Manifest("widgets-crd.yaml"))))!;
        crd["metadata"]!["name"] = "legacywidgets.example.com";
        crd["spec"]!["names"] = new JsonObject { ["kind"] = "LegacyWidget", ["listKind"] = "LegacyWidgetList", ["plural"] = "legacywidgets", ["singular"] = "legacywidget" };
        var ports = crd.At("spec.versions")!.AsArray()[0].At("schema.openAPIV3Schema.properties.spec.properties.ports.items")!.AsObject();
        ports.Remove("required");

        var (code, status) = await t.SendAsync(HttpMethod.Post, "apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        code.ShouldBe(422);
        status.Str("message")!.ShouldContain("properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property");
        (await t.SendAsync(HttpMethod.Get, "apis/apiextensions.k8s.io/v1/customresourcedefinitions/legacywidgets.example.com")).Code.ShouldBe(404);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task A_CRD_with_a_rule_that_does_not_compile_is_refused(string name)
    {
        var t = await GetAsync(name);
        var crd = (JsonObject)JsonNode.Parse(JsonSerializer(await File.ReadAllTextAsync(Manifest("probes-crd.yaml"))))!;
        crd["metadata"]!["name"] = "brokenprobes.example.com";
        crd["spec"]!["names"] = new JsonObject { ["kind"] = "BrokenProbe", ["listKind"] = "BrokenProbeList", ["plural"] = "brokenprobes", ["singular"] = "brokenprobe" };
        var rules = crd.At("spec.versions")!.AsArray()[0].At("schema.openAPIV3Schema.properties.spec.x-kubernetes-validations")!.AsArray();
        rules[0]!["rule"] = "self.replicas ==";

        var (code, status) = await t.SendAsync(HttpMethod.Post, "apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
        code.ShouldBe(422);
        // One version, so the schema is named where the server's internal form holds a shared schema.
        Cause(status, "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule").Str("message")!.ShouldStartWith(
            "Invalid value: {\"Rule\":\"self.replicas ==\",\"Message\":\"replicas must be 0 while paused\",\"MessageExpression\":\"\",\"Reason\":null,"
            + "\"FieldPath\":\".replicas\",\"OptionalOldSelf\":null}: compilation failed: ");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Field_validation_Warn_keeps_the_write_and_names_the_unknown_field_in_a_Warning_header(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var body = ValidProbe("p");
        body["spec"]!["foo"] = 1;
        using var request = new HttpRequestMessage(HttpMethod.Post, ProbesPath(ns) + "?fieldValidation=Warn")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
        using var response = await t.Http.SendAsync(request);

        ((int)response.StatusCode).ShouldBe(201);
        response.Headers.GetValues("Warning").ShouldContain("299 - \"unknown field \\\"spec.foo\\\"\"");

        var (strict, status) = await t.SendAsync(HttpMethod.Post, ProbesPath(ns) + "?fieldValidation=Strict", body);
        strict.ShouldBe(400);
        status.Str("message")!.ShouldContain("strict decoding error: unknown field \"spec.foo\"");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task A_repeated_field_is_refused_under_Strict_and_named_under_Warn(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        async Task<HttpResponseMessage> PostAsync(string mode, string probe) =>
            await t.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, ProbesPath(ns) + "?fieldValidation=" + mode)
            {
                Content = new StringContent(
                    $$$"""{"apiVersion":"example.com/v1","kind":"Probe","metadata":{"name":"{{{probe}}}"},"spec":{"clusterName":"c1","replicas":2,"replicas":3}}""",
                    new MediaTypeHeaderValue("application/json")),
            });

        using var strict = await PostAsync("Strict", "p1");
        ((int)strict.StatusCode).ShouldBe(400);
        JsonNode.Parse(await strict.Content.ReadAsStringAsync()).Str("message")!.ShouldContain("strict decoding error: duplicate field \"spec.replicas\"");

        using var warned = await PostAsync("Warn", "p2");
        ((int)warned.StatusCode).ShouldBe(201);
        warned.Headers.GetValues("Warning").ShouldContain("299 - \"duplicate field \\\"spec.replicas\\\"\"");
        JsonNode.Parse(await warned.Content.ReadAsStringAsync()).Long("spec.replicas").ShouldBe(3, "the last value wins");
    }

    private static string? Message(HttpOperationException e) => JsonNode.Parse(e.Response.Content).Str("message");

    /// <summary>YAML manifest text to JSON text.</summary>
    private static string JsonSerializer(string yaml) =>
        KubernetesJson.Serialize(KubernetesYaml.Deserialize<V1CustomResourceDefinition>(yaml));
}
