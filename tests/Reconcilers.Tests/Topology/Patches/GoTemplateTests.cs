using System.Text.Json.Nodes;
using ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;

namespace ServerlessCapi.Reconcilers.Tests.Topology.Patches;

public class GoTemplateTests
{
    private static readonly JsonNode Data = JsonNode.Parse("""
        {
          "builtin": {"cluster": {"name": "c1", "namespace": "ns"}, "controlPlane": {"replicas": 3}},
          "port": 6443,
          "big": 1000000,
          "ratio": 1.5,
          "flag": true,
          "empty": "",
          "image": {"repository": "registry.example/kube", "tag": "v1"},
          "zones": ["a", "b", "c"],
          "labels": {"z": "26", "a": "1"}
        }
        """)!;

    private static string Run(string template) => GoTemplate.Parse(template).Execute(Data);

    [Theory]
    [InlineData("{{ .builtin.cluster.name }}", "c1")]
    [InlineData("{{ .port }}", "6443")]
    [InlineData("{{ .big }}", "1e+06")]
    [InlineData("{{ .ratio }}", "1.5")]
    [InlineData("{{ .missing }}", "<no value>")]
    [InlineData("{{ .image.repository }}:{{ .image.tag }}", "registry.example/kube:v1")]
    [InlineData("{{ printf \"%s-%d\" .builtin.cluster.name .port }}", "c1-6443")]
    [InlineData("{{ printf \"%v/%q\" .flag .empty }}", "true/\"\"")]
    [InlineData("{{ .builtin.cluster.name | quote }}", "\"c1\"")]
    [InlineData("{{ quote .builtin.cluster.name }}", "\"c1\"")]
    [InlineData("{{ .image | toJson }}", "{\"repository\":\"registry.example/kube\",\"tag\":\"v1\"}")]
    [InlineData("{{ .zones | toYaml }}", "- a\n- b\n- c")]
    [InlineData("{{ .empty | default \"fallback\" }}", "fallback")]
    [InlineData("{{ default \"fallback\" .missing }}", "fallback")]
    [InlineData("{{ .builtin.cluster.name | default \"x\" }}", "c1")]
    [InlineData("{{ eq .port 6443 }}/{{ ne .builtin.cluster.name \"c1\" }}", "true/false")]
    [InlineData("{{ and .flag .port }}|{{ or .empty \"x\" }}|{{ not .flag }}", "6443|x|false")]
    [InlineData("{{ index .zones 1 }}{{ index .labels \"z\" }}", "b26")]
    [InlineData("{{ len .zones }}{{ len .labels }}{{ len .builtin.cluster.name }}", "322")]
    [InlineData("{{ (index .zones 0) | upper }}", "A")]
    [InlineData("{{ gt .builtin.controlPlane.replicas 1 }}", "true")]
    public void Evaluates_fields_pipelines_and_functions(string template, string expected) => Run(template).ShouldBe(expected);

    [Fact]
    public void If_else_if_else_choose_one_branch()
    {
        const string template = "{{ if eq .port 80 }}http{{ else if eq .port 6443 }}api{{ else }}other{{ end }}";
        Run(template).ShouldBe("api");
        Run("{{ if .empty }}yes{{ else }}no{{ end }}").ShouldBe("no");
    }

    [Fact]
    public void Range_visits_lists_in_order_and_maps_by_sorted_key()
    {
        Run("{{ range $i, $z := .zones }}{{ $i }}={{ $z }};{{ end }}").ShouldBe("0=a;1=b;2=c;");
        Run("{{ range $k, $v := .labels }}{{ $k }}:{{ $v }} {{ end }}").ShouldBe("a:1 z:26 ");
        Run("{{ range .zones }}[{{ . }}]{{ end }}").ShouldBe("[a][b][c]");
        Run("{{ range .nothing }}x{{ else }}none{{ end }}").ShouldBe("none");
    }

    [Fact]
    public void With_rebinds_dot_and_variables_keep_the_root()
    {
        Run("{{ with .image }}{{ .tag }}@{{ $.builtin.cluster.name }}{{ end }}").ShouldBe("v1@c1");
        Run("{{ with .missing }}x{{ else }}unset{{ end }}").ShouldBe("unset");
        Run("{{ $n := .builtin.cluster.name }}{{ if .flag }}{{ $n = \"other\" }}{{ end }}{{ $n }}").ShouldBe("other");
    }

    [Fact]
    public void Trim_markers_and_comments_drop_whitespace_and_text()
    {
        Run("a  {{- /* note */ -}}  b").ShouldBe("ab");
        Run("- name: x\n  {{- if .flag }}\n  on: true\n  {{- end }}").ShouldBe("- name: x\n  on: true");
    }

    [Fact]
    public void Field_of_a_missing_value_fails_as_in_Go()
    {
        Should.Throw<TemplateException>(() => Run("{{ .missing.field }}")).Message.ShouldContain("nil pointer evaluating interface {}.field");
    }

    [Theory]
    [InlineData("{{ .a ")]
    [InlineData("{{ if .flag }}x")]
    [InlineData("{{ nosuch .flag }}")]
    [InlineData("{{ end }}")]
    public void Malformed_templates_and_unknown_functions_fail(string template) =>
        Should.Throw<TemplateException>(() => Run(template));
}
