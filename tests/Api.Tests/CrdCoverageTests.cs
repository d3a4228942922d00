using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

public class CrdCoverageTests
{
    private static JsonObject Schema(string json) => JsonNode.Parse(json)!.AsObject();

    private const string Reference = """
        {"type":"object","properties":{
          "spec":{"type":"object","properties":{
            "name":{"type":"string"},
            "files":{"type":"array","items":{"type":"object","properties":{
              "path":{"type":"string"},
              "contentFrom":{"type":"object","properties":{"secret":{"type":"object","properties":{"name":{"type":"string"},"key":{"type":"string"}}}}}}}},
            "labels":{"type":"object","additionalProperties":{"type":"object","properties":{"value":{"type":"string"}}}},
            "etcd":{"type":"object","properties":{"local":{"type":"object","properties":{"dataDir":{"type":"string"}}}}}}},
          "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}
        """;

    [Fact]
    public void Field_paths_name_list_items_and_map_values()
    {
        CrdCoverage.FieldPaths(Schema(Reference)).ShouldBe([
            "spec", "spec.name", "spec.files", "spec.files[].path", "spec.files[].contentFrom", "spec.files[].contentFrom.secret",
            "spec.files[].contentFrom.secret.name", "spec.files[].contentFrom.secret.key", "spec.labels", "spec.labels{}.value",
            "spec.etcd", "spec.etcd.local", "spec.etcd.local.dataDir", "status", "status.ready",
        ]);
    }

    [Fact]
    public void Fields_under_an_object_that_only_preserves_unknown_fields_are_missing()
    {
        var ours = Schema("""
            {"type":"object","properties":{
              "spec":{"type":"object","properties":{
                "name":{"type":"string"},
                "files":{"type":"array","items":{"type":"object","properties":{"path":{"type":"string"},
                  "contentFrom":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}},
                "etcd":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "extra":{"type":"string"}}},
              "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}
            """);

        var coverage = CrdCoverage.Compare("Thing", Schema(Reference), ours);

        coverage.ReferenceFields.ShouldBe(15);
        coverage.ModelledFields.ShouldBe(8);
        coverage.Missing.ShouldBe([
            "spec.files[].contentFrom.secret", "spec.files[].contentFrom.secret.name", "spec.files[].contentFrom.secret.key",
            "spec.labels", "spec.labels{}.value", "spec.etcd.local", "spec.etcd.local.dataDir",
        ]);
        coverage.Percent.ShouldBe(100.0 * 8 / 15, 1e-9);
    }

    [Fact]
    public void A_crd_document_gives_the_schema_of_the_asked_version()
    {
        var crd = YamlJson.Load("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            spec:
              names: {kind: Thing}
              versions:
              - name: v1beta1
                schema: {openAPIV3Schema: {type: object, properties: {old: {type: string}}}}
              - name: v1beta2
                schema: {openAPIV3Schema: {type: object, properties: {new: {type: string}}}}
            """);

        var (kind, schema) = CrdCoverage.SchemaOf(crd, "v1beta2")!.Value;

        kind.ShouldBe("Thing");
        CrdCoverage.FieldPaths(schema).ShouldBe(["new"]);
        CrdCoverage.SchemaOf(crd, "v1")!.ShouldBeNull();
    }

    [Fact]
    public void The_generated_crds_cover_themselves_completely()
    {
        foreach (var kind in CapiKinds.All)
        {
            var schema = CrdGenerator.Generate(kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
            var coverage = CrdCoverage.Compare(kind.Kind, schema, schema);
            coverage.Missing.ShouldBeEmpty();
            coverage.ReferenceFields.ShouldBeGreaterThan(3);
        }
    }
}
