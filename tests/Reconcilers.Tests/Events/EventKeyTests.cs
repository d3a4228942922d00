using ServerlessCapi.Reconcilers.Events;

namespace ServerlessCapi.Reconcilers.Tests.Events;

public sealed class EventKeyTests
{
    private static EventKey Key(string name = "workers", string uid = "u1", string reason = "SuccessfulCreate", string note = "Created Machine \"m1\"") =>
        new("ns", name, uid, "machineset-controller", "Create", reason, "Normal", note);

    [Fact]
    public void The_same_occurrence_always_gets_the_same_name()
    {
        Key().EventName.ShouldBe(Key().EventName);
        Key().EventName.ShouldStartWith("workers.");
        Key().EventName.Length.ShouldBe("workers.".Length + 16);
    }

    [Fact]
    public void Another_object_reason_or_note_gets_another_name()
    {
        var names = new[]
        {
            Key().EventName, Key(uid: "u2").EventName, Key(reason: "SuccessfulDelete").EventName, Key(note: "Created Machine \"m2\"").EventName,
        };
        names.Distinct().Count().ShouldBe(names.Length);
    }

    [Fact]
    public void A_long_object_name_is_cut_to_a_valid_name()
    {
        var name = Key(name: new string('a', 250) + "-x").EventName;
        name.Length.ShouldBeLessThanOrEqualTo(253);
        name.ShouldMatch("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
    }
}
