using ServerlessCapi.Cli.Describe;
using ServerlessCapi.Cli.Up;

namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary>The small rules under <c>describe</c>: ages, message wrapping, the --show-conditions filter, and which
/// kubeconfig it uses when none is given.</summary>
public sealed class DescribePartsTests
{
    private static readonly DateTimeOffset Now = DescribeObjects.Now;

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(185, "3m5s")]
    [InlineData(600, "10m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(3 * 3600 + 20 * 60, "3h20m")]
    [InlineData(20 * 3600, "20h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(20 * 86400, "20d")]
    [InlineData(800L * 86400, "2y70d")]
    [InlineData(3000L * 86400, "8y")]
    public void Ages_read_as_kubectl_prints_them(long seconds, string expected) =>
        TreePrinter.Age(Now - TimeSpan.FromSeconds(seconds), Now).ShouldBe(expected);

    [Fact]
    public void A_missing_or_future_time_has_no_misleading_age()
    {
        TreePrinter.Age(null, Now).ShouldBe("");
        TreePrinter.Age(Now + TimeSpan.FromSeconds(1), Now).ShouldBe("0s");
        TreePrinter.Age(Now + TimeSpan.FromMinutes(1), Now).ShouldBe("<invalid>");
    }

    [Fact]
    public void Messages_wrap_at_spaces_and_keep_their_own_lines_and_indentation()
    {
        TreePrinter.Wrap("", 10).ShouldBeEmpty();
        TreePrinter.Wrap("aaa bbb ccc ddd", 8).ShouldBe(["aaa bbb", "ccc ddd"]);
        TreePrinter.Wrap("first\n  * second item here", 14).ShouldBe(["first", "  * second", "    item here"]);
        TreePrinter.Wrap("averyveryverylongword x", 5).ShouldBe(["averyveryverylongword", "x"]);
    }

    [Theory]
    [InlineData(null, "Machine", "m1", "None")]
    [InlineData("all", "Machine", "m1", "All")]
    [InlineData("ALL+", "Cluster", "c", "NonZero")]
    [InlineData("KubeadmControlPlane", "KubeadmControlPlane", "cp", "All")]
    [InlineData("KubeadmControlPlane", "Machine", "cp", "None")]
    [InlineData("Machine/m1", "Machine", "m1", "All")]
    [InlineData("Machine/m1", "Machine", "m2", "None")]
    [InlineData("Cluster,machine/M1+", "Machine", "m1", "NonZero")]
    public void Show_conditions_matches_all_kinds_and_kind_name(string? spec, string kind, string name, string expected) =>
        ShowConditionsFilter.For(spec, kind, name).ShouldBe(Enum.Parse<ConditionFilter>(expected));

    [Fact]
    public void Show_conditions_refuses_whitespace_as_clusterctl_does()
    {
        ShowConditionsFilter.Validate("Machine, Cluster").ShouldNotBeNull();
        ShowConditionsFilter.Validate("Machine,Cluster").ShouldBeNull();
    }

    [Fact]
    public void Normal_state_depends_on_the_condition_polarity()
    {
        ShowConditionsFilter.IsZero(new ObjectCondition("Ready", "True")).ShouldBeTrue();
        ShowConditionsFilter.IsZero(new ObjectCondition("Ready", "True", Message: "but look")).ShouldBeFalse();
        ShowConditionsFilter.IsZero(new ObjectCondition("Ready", "False")).ShouldBeFalse();
        ShowConditionsFilter.IsZero(new ObjectCondition("Deleting", "False")).ShouldBeTrue();
        ShowConditionsFilter.IsZero(new ObjectCondition("Deleting", "True")).ShouldBeFalse();
        ShowConditionsFilter.IsZero(new ObjectCondition("Paused", "Unknown")).ShouldBeFalse();
    }

    [Fact]
    public void The_kubeconfig_comes_from_the_flag_then_the_variable_then_a_running_up()
    {
        using var dir = new TempDir();
        var flag = dir.File("flag");
        var variable = dir.File("variable");
        var up = dir.File("up");
        var running = new RunningUp(42, Now, dir.Path, up, "http://127.0.0.1:1");

        KubeconfigLocator.Locate(flag, variable, [running]).ShouldBe(new KubeconfigLocator.Result(flag, null, null));
        KubeconfigLocator.Locate(null, $"{dir.Path}/missing{Path.PathSeparator}{variable}", [running])
            .ShouldBe(new KubeconfigLocator.Result(variable, null, null));
        var fromUp = KubeconfigLocator.Locate(null, null, [running]);
        fromUp.Path.ShouldBe(up);
        fromUp.Source.ShouldBe("the running ./scapi up (process 42)");
    }

    [Fact]
    public void Without_a_kubeconfig_the_error_names_every_way_to_give_one()
    {
        using var dir = new TempDir();
        KubeconfigLocator.Locate($"{dir.Path}/nope", null, []).Error.ShouldBe($"no kubeconfig at {dir.Path}/nope (--kubeconfig)");
        KubeconfigLocator.Locate(null, $"{dir.Path}/nope", []).Error!.ShouldContain("KUBECONFIG names no existing file");

        var none = KubeconfigLocator.Locate(null, "", []);
        none.Path.ShouldBeNull();
        none.Error.ShouldBe("no management cluster: pass --kubeconfig PATH, set KUBECONFIG, or start one with ./scapi up (in another terminal)");

        var a = new RunningUp(1, Now, dir.Path, dir.File("a"), "http://127.0.0.1:1");
        var b = new RunningUp(2, Now, dir.Path, dir.File("b"), "http://127.0.0.1:2");
        var several = KubeconfigLocator.Locate(null, null, [a, b]);
        several.Path.ShouldBeNull();
        several.Error!.ShouldContain($"{a.Kubeconfig} (process 1)");
        several.Error!.ShouldContain($"{b.Kubeconfig} (process 2)");
    }

    /// <summary>A temporary folder whose files exist (the locator checks that they do).</summary>
    private sealed class TempDir : IDisposable
    {
        private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("scapi-describe-");

        public string Path => _dir.FullName;

        public string File(string name)
        {
            var path = System.IO.Path.Combine(Path, name);
            System.IO.File.WriteAllText(path, "apiVersion: v1\nkind: Config\n");
            return path;
        }

        public void Dispose() => _dir.Delete(recursive: true);
    }
}
