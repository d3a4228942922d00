using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

public class YamlJsonTests
{
    [Theory]
    [InlineData("true")]
    [InlineData("False")]
    [InlineData("yes")]
    [InlineData("on")]
    [InlineData("n")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("0.2")]
    [InlineData("1e3")]
    [InlineData(".5")]
    [InlineData("0644")]
    [InlineData("0x1F")]
    [InlineData(".inf")]
    [InlineData("1:30")]
    [InlineData(" leading space")]
    [InlineData("trailing space ")]
    [InlineData("a: b")]
    [InlineData("- item")]
    [InlineData("#comment")]
    [InlineData("{ flow }")]
    [InlineData("'quoted'")]
    [InlineData("line one\nline two\n")]
    [InlineData("  indented first\nline\n")]
    [InlineData("no trailing newline\nsecond")]
    [InlineData("tab\there")]
    [InlineData("trailing spaces  \nnext")]
    public void Strings_that_look_like_other_things_stay_strings(string value)
    {
        var node = new JsonObject { ["v"] = value, ["list"] = new JsonArray(value) };

        var back = YamlJson.Load(YamlJson.ToYaml(node))!;

        back["v"]!.GetValueKind().ShouldBe(JsonValueKind.String);
        back["v"]!.GetValue<string>().ShouldBe(value);
        back["list"]![0]!.GetValue<string>().ShouldBe(value);
    }

    [Fact]
    public void Plain_scalars_resolve_like_kubectl_reads_them()
    {
        var node = YamlJson.Load("""
            int: 42
            negative: -7
            float: 2.5
            bool: true
            off: off
            empty:
            tilde: ~
            quoted: "42"
            single: 'true'
            text: v1.33.0
            tagged: !!str 10
            """)!;

        node["int"]!.GetValue<long>().ShouldBe(42);
        node["negative"]!.GetValue<long>().ShouldBe(-7);
        node["float"]!.GetValue<double>().ShouldBe(2.5);
        node["bool"]!.GetValue<bool>().ShouldBeTrue();
        node["off"]!.GetValue<bool>().ShouldBeFalse();
        node.AsObject().ContainsKey("empty").ShouldBeTrue();
        node["empty"].ShouldBeNull();
        node["tilde"].ShouldBeNull();
        node["quoted"]!.GetValue<string>().ShouldBe("42");
        node["single"]!.GetValue<string>().ShouldBe("true");
        node["text"]!.GetValue<string>().ShouldBe("v1.33.0");
        node["tagged"]!.GetValue<string>().ShouldBe("10");
    }

    [Fact]
    public void Multi_document_text_skips_empty_documents_and_keeps_order()
    {
        var docs = YamlJson.LoadAll("a: 1\n---\n# only a comment\n---\nb: [1, 2]\n---\n");

        docs.Count.ShouldBe(2);
        docs[0]["a"]!.GetValue<long>().ShouldBe(1);
        docs[1]["b"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public void Json_text_is_valid_yaml_input()
    {
        var objects = Manifests.Load("""{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Machine","metadata":{"name":"m"},"spec":{"clusterName":"c"}}""");

        objects.Single().ShouldBeOfType<Machine>().Spec.ClusterName.ShouldBe("c");
    }

    [Fact]
    public void A_v1_List_is_flattened_into_its_items()
    {
        var objects = Manifests.Load("""
            apiVersion: v1
            kind: List
            items:
            - apiVersion: cluster.x-k8s.io/v1beta2
              kind: Cluster
              metadata: {name: a}
            - apiVersion: v1
              kind: Namespace
              metadata: {name: ns}
            """);

        objects.Count.ShouldBe(2);
        objects[0].ShouldBeOfType<Cluster>().Metadata.Name.ShouldBe("a");
        objects[1].ShouldBeOfType<JsonObject>()["kind"]!.GetValue<string>().ShouldBe("Namespace");
    }

    [Fact]
    public void A_typed_list_kind_is_read_as_its_list_class()
    {
        var json = Manifests.ToJson(new MachineList { Items = [new Machine { Metadata = new() { Name = "m1" } }] });

        json["kind"]!.GetValue<string>().ShouldBe("MachineList");
        json["items"]![0]!["kind"]!.GetValue<string>().ShouldBe("Machine");
        json["items"]![0]!["metadata"]!["name"]!.GetValue<string>().ShouldBe("m1");
    }

    [Fact]
    public void A_wrongly_typed_field_is_an_error_not_a_silent_loss()
    {
        Should.Throw<JsonException>(() => Manifests.Load("""
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: MachineDeployment
            metadata: {name: md}
            spec:
              replicas: three
            """));
    }
}
