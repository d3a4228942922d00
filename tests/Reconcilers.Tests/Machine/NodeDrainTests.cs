using k8s.Models;
using ServerlessCapi.Reconcilers.Machine;

namespace ServerlessCapi.Reconcilers.Tests.Machine;

public class NodeDrainTests
{
    private static V1Pod Pod(string? controllerKind = null, bool mirror = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = "p",
            OwnerReferences = controllerKind is null ? null : [new V1OwnerReference { Kind = controllerKind, Name = "o", Uid = "u", Controller = true }],
            Annotations = mirror ? new Dictionary<string, string> { ["kubernetes.io/config.mirror"] = "x" } : null,
        },
    };

    [Fact]
    public void DaemonSet_and_mirror_pods_stay_everything_else_is_evicted()
    {
        NodeDrain.MustEvict(Pod()).ShouldBeTrue();
        NodeDrain.MustEvict(Pod("ReplicaSet")).ShouldBeTrue();
        NodeDrain.MustEvict(Pod("DaemonSet")).ShouldBeFalse();
        NodeDrain.MustEvict(Pod(mirror: true)).ShouldBeFalse();
    }
}
