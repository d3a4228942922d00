using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Selectors;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units;

public sealed class SelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "front" };

    [Theory]
    [InlineData("app=web", true)]
    [InlineData("app==web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app in (db, web)", true)]
    [InlineData("app notin (web)", false)]
    [InlineData("tier", true)]
    [InlineData("!tier", false)]
    [InlineData("!missing", true)]
    [InlineData("app=web,tier in (front),!missing", true)]
    [InlineData("app=web,tier=back", false)]
    [InlineData("missing!=x", true)]
    public void Label_selector_matches_like_Kubernetes(string selector, bool expected) =>
        LabelSelector.Parse(selector).Matches(Labels).ShouldBe(expected);

    [Theory]
    [InlineData("app in (web")]
    [InlineData("a b=c")]
    public void Malformed_label_selectors_are_bad_requests(string selector) =>
        Should.Throw<ApiException>(() => LabelSelector.Parse(selector)).Code.ShouldBe(400);

    [Fact]
    public void Field_selectors_reject_unsupported_fields_and_pin_names()
    {
        Should.Throw<ApiException>(() => FieldSelector.Parse("spec.color=blue", "Widget")).Code.ShouldBe(400);
        FieldSelector.Parse("metadata.name=a,metadata.namespace!=b", "Widget").PinnedName.ShouldBe("a");
        FieldSelector.Parse("type=Opaque", "Secret").IsEmpty.ShouldBeFalse();
    }
}
