using System.Text.Json;

namespace ServerlessCapi.Api.Tests;

public class IntOrStringTests
{
    [Theory]
    [InlineData("25%", 10, true, 3)]
    [InlineData("25%", 10, false, 2)]
    [InlineData("25%", 4, true, 1)]
    [InlineData("25%", 4, false, 1)]
    [InlineData("30%", 3, true, 1)]
    [InlineData("30%", 3, false, 0)]
    [InlineData("100%", 7, false, 7)]
    [InlineData("0%", 7, true, 0)]
    [InlineData("150%", 2, true, 3)]
    public void Percentages_scale_against_the_total_and_round_as_asked(string value, int total, bool roundUp, int expected)
    {
        IntOrString v = value;

        v.GetScaledValue(total, roundUp).ShouldBe(expected);
    }

    [Fact]
    public void Integers_are_taken_as_they_are()
    {
        IntOrString v = 4;

        v.GetScaledValue(100, roundUp: true).ShouldBe(4);
        v.GetScaledValue(1, roundUp: false).ShouldBe(4);
        v.IsInt.ShouldBeTrue();
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("5")]
    [InlineData("%")]
    [InlineData("x%")]
    public void Strings_that_are_no_percentage_are_rejected(string value)
    {
        IntOrString v = value;

        v.TryGetScaledValue(10, roundUp: true, out _).ShouldBeFalse();
        Should.Throw<FormatException>(() => v.GetScaledValue(10, roundUp: true));
    }

    [Fact]
    public void Json_keeps_numbers_as_numbers_and_strings_as_strings()
    {
        var rolling = new MachineRollingUpdate { MaxSurge = "25%", MaxUnavailable = 0 };

        var json = JsonSerializer.Serialize(rolling, Manifests.JsonOptions);
        var back = JsonSerializer.Deserialize<MachineRollingUpdate>(json, Manifests.JsonOptions)!;

        json.ShouldContain("\"maxSurge\":\"25%\"");
        json.ShouldContain("\"maxUnavailable\":0");
        back.MaxSurge.ShouldBe(IntOrString.FromString("25%"));
        back.MaxUnavailable.ShouldBe(IntOrString.FromInt(0));
        back.MaxSurge!.IsInt.ShouldBeFalse();
    }

    [Fact]
    public void Equality_distinguishes_the_number_from_its_text()
    {
        IntOrString.FromInt(1).ShouldNotBe(IntOrString.FromString("1"));
        IntOrString.FromInt(1).ShouldBe(1);
        IntOrString.FromString("1").ToString().ShouldBe(IntOrString.FromInt(1).ToString());
    }
}
