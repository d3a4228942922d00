using ServerlessCapi.Api.Templates;

namespace ServerlessCapi.Api.Tests.Templates;

/// <summary>The substitution dialect of clusterctl templates, case by case.</summary>
public class TemplateProcessorTests
{
    private static readonly Dictionary<string, string> Values = new(StringComparer.Ordinal)
    {
        ["NAME"] = "Demo-Cluster",
        ["EMPTY"] = "",
        ["PATH_LIKE"] = "a/b/c.tar.gz",
        ["N"] = "3",
    };

    private static string Run(string template) => TemplateProcessor.Process(template, n => Values.TryGetValue(n, out var v) ? v : null);

    [Theory]
    [InlineData("name: ${NAME}", "name: Demo-Cluster")]
    [InlineData("${NAME}${N}", "Demo-Cluster3")]
    [InlineData("x: ${UNSET:=fallback}", "x: fallback")]
    [InlineData("x: ${UNSET=fallback}", "x: fallback")]
    [InlineData("x: ${UNSET:-fallback}", "x: fallback")]
    [InlineData("x: ${EMPTY:=fallback}", "x: fallback")]
    [InlineData("x: ${EMPTY=fallback}", "x: fallback")] // a lookup cannot tell empty from unset
    [InlineData("x: ${NAME:=fallback}", "x: Demo-Cluster")]
    [InlineData("x: ${UNSET:=${NAME}-suffix}", "x: Demo-Cluster-suffix")]
    [InlineData("x: ${UNSET:=a:b c}", "x: a:b c")]
    [InlineData("x: ${ NAME }, ${NAME }, ${ NAME}", "x: Demo-Cluster, Demo-Cluster, Demo-Cluster")]
    [InlineData("cost: $5 and $HOME", "cost: $5 and $HOME")]
    [InlineData("script: $${NAME} $$ $$$$", "script: ${NAME} $ $$")]
    [InlineData("a } b $", "a } b $")]
    [InlineData("${NAME^^}", "DEMO-CLUSTER")]
    [InlineData("${NAME,,}", "demo-cluster")]
    [InlineData("${NAME,}", "demo-Cluster")]
    [InlineData("${N^}", "3")]
    [InlineData("${#NAME}", "12")]
    [InlineData("${NAME:5}", "Cluster")]
    [InlineData("${NAME:0:4}", "Demo")]
    [InlineData("${NAME:-7}", "Demo-Cluster")] // ":-" is a default, not a negative offset
    [InlineData("${NAME:x}", "Demo-Cluster")]
    [InlineData("${PATH_LIKE#*/}", "b/c.tar.gz")]
    [InlineData("${PATH_LIKE##*/}", "b/c.tar.gz")] // "*" never crosses "/", so the longest match is "a/" too
    [InlineData("${PATH_LIKE%.*}", "a/b/c.tar")]
    [InlineData("${PATH_LIKE%%.*}", "a/b/c")]
    [InlineData("${NAME/-/_}", "Demo_Cluster")]
    [InlineData("${PATH_LIKE//\\//:}", "a:b:c.tar.gz")]
    [InlineData("${PATH_LIKE/\\//}", "ab/c.tar.gz")]
    [InlineData("${NAME/#Demo/Prod}", "Prod-Cluster")]
    [InlineData("${NAME/%Cluster/Fleet}", "Demo-Fleet")]
    public void Substitutions_mean_what_they_mean_to_clusterctl(string template, string expected) =>
        Run(template).ShouldBe(expected);

    [Fact]
    public void A_dash_belongs_to_the_name_so_dash_default_is_a_different_variable()
    {
        TemplateProcessor.VariableMap("${NAME-default}").Keys.ShouldBe(["NAME-default"]);
        Should.Throw<MissingTemplateVariablesException>(() => Run("${NAME-default}")).Missing.ShouldBe(["NAME-default"]);
    }

    [Fact]
    public void The_variable_map_lists_top_level_variables_with_the_first_default_written()
    {
        var map = TemplateProcessor.VariableMap("""
            a: ${B_VAR}
            b: ${A_VAR:=x}
            c: ${A_VAR}
            d: ${C_VAR=${INNER}-y}
            e: ${D_VAR:=}
            f: ${ LEGACY }
            g: $${ESCAPED}
            """);
        map.Keys.ShouldBe(["A_VAR", "B_VAR", "C_VAR", "D_VAR", "LEGACY"]);
        map["A_VAR"].ShouldBe("x");
        map["B_VAR"].ShouldBeNull();
        map["C_VAR"].ShouldBe("${INNER}-y");
        map["D_VAR"].ShouldBeNull();
        map["LEGACY"].ShouldBeNull();
    }

    [Fact]
    public void Missing_variables_are_all_named_in_order_and_an_empty_value_counts_as_set()
    {
        var e = Should.Throw<MissingTemplateVariablesException>(() => Run("${ZED} ${ALPHA} ${EMPTY} ${WITH:=d} ${ZED}"));
        e.Missing.ShouldBe(["ALPHA", "ZED"]);
        e.Message.ShouldContain("[ALPHA, ZED]");
    }

    [Theory]
    [InlineData("${NAME", "missing closing brace")]
    [InlineData("${}", "unable to parse variable name")]
    [InlineData("${NAME:=abc", "unable to parse substitution within function")]
    [InlineData("${NAME^^x}", "bad substitution")]
    [InlineData("${#}", "bad substitution")]
    public void A_malformed_substitution_is_an_error(string template, string message) =>
        Should.Throw<TemplateSyntaxException>(() => Run(template)).Message.ShouldBe(message);
}
