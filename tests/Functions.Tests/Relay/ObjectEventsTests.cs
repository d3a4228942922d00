using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Functions.Tests.Relay;

public class ObjectEventsTests
{
    private static ObjectEventData Machine(bool deleted = false) => new()
    {
        ApiVersion = "cluster.x-k8s.io/v1beta2",
        Kind = "Machine",
        Namespace = "team-a",
        Name = "m-1",
        Uid = "5d3c",
        ResourceVersion = "42",
        Generation = 3,
        Deleting = deleted,
        Deleted = deleted,
    };

    [Fact]
    public void A_machine_change_becomes_a_CloudEvent_with_the_documented_attributes()
    {
        var time = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var e = ObjectEvents.Create("mgmt-1", "machines", Machine(), time);

        e.Type.ShouldBe("io.x-k8s.cluster.machine.modified");
        e.Source.ShouldBe("/managementclusters/mgmt-1");
        e.Subject.ShouldBe("namespaces/team-a/machines/m-1");
        e.Id.ShouldBe("5d3c:42");
        e.Time.ShouldBe(time);

        var parsed = ObjectEvents.Parse(ObjectEvents.Serialize(e));
        parsed.Id.ShouldBe(e.Id);
        parsed.Type.ShouldBe(e.Type);
        ObjectEvents.DataOf(parsed).ShouldBeEquivalentTo(Machine());
    }

    [Fact]
    public void Deletions_and_other_groups_get_their_own_type_and_a_distinct_id()
    {
        var deleted = ObjectEvents.Create("m", "machines", Machine(deleted: true), DateTimeOffset.UnixEpoch);
        deleted.Type.ShouldBe("io.x-k8s.cluster.machine.deleted");
        deleted.Id.ShouldBe("5d3c:42:deleted");

        ObjectEvents.Type("bootstrap.cluster.x-k8s.io", "KubeadmConfig", deleted: false).ShouldBe("io.x-k8s.cluster.bootstrap.kubeadmconfig.modified");
        ObjectEvents.Subject("namespaces", null, "team-a").ShouldBe("namespaces/team-a");
    }
}
