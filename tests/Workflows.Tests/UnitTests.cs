using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Tests;

public sealed class UnitTests
{
    [Fact]
    public void Backoff_doubles_from_the_base_and_stays_at_the_cap()
    {
        var backoff = RetryBackoff.Default;
        backoff.DelayFor(1).ShouldBe(TimeSpan.FromSeconds(1));
        backoff.DelayFor(2).ShouldBe(TimeSpan.FromSeconds(2));
        backoff.DelayFor(5).ShouldBe(TimeSpan.FromSeconds(16));
        backoff.DelayFor(9).ShouldBe(TimeSpan.FromSeconds(256));
        backoff.DelayFor(10).ShouldBe(TimeSpan.FromMinutes(5));
        backoff.DelayFor(10_000).ShouldBe(TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Entity_ids_depend_on_kind_and_uid_only()
    {
        var a = new ObjectKey("Machine", "ns1", "m1", "0b7c");
        var renamed = a with { Namespace = "ns2", Name = "m2" };
        ObjectReconcileEntity.IdFor(a).ShouldBe(ObjectReconcileEntity.IdFor(renamed));
        ObjectReconcileEntity.IdFor(a).ToString().ShouldBe("@objectreconcile@Machine.0b7c");
        ObjectReconcileEntity.IdFor(a with { Uid = "1111" }).ShouldNotBe(ObjectReconcileEntity.IdFor(a));
        ObjectReconcileEntity.IdFor(a with { Kind = "Cluster" }).ShouldNotBe(ObjectReconcileEntity.IdFor(a));
    }
}
