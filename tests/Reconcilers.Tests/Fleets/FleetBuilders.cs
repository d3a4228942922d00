using k8s.Models;
using ServerlessCapi.Api;

namespace ServerlessCapi.FleetTests;

/// <summary>Builders for the objects the fleet tests feed to pure planners and evaluators.</summary>
internal static class FleetBuilders
{
    public static readonly DateTime Now = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static Machine Bare(string name, DateTime? created = null, string? node = null, params (string Type, string Status, DateTime Since, string Reason)[] conditions)
    {
        var m = new Machine
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "ns", Uid = "uid-" + name, CreationTimestamp = created ?? Now.AddHours(-1) },
            Spec = new MachineSpec { ClusterName = "c1" },
        };
        if (node is not null) m.Status.NodeRef = new MachineNodeReference { Name = node };
        foreach (var (type, status, since, reason) in conditions)
            Conditions.Set(m.Status, new Condition { Type = type, Status = status, Reason = reason }, since);
        return m;
    }

    public static Machine Healthy(string name, DateTime? created = null) =>
        Bare(name, created, node: name,
            (MachineConditions.Ready, ConditionStatus.True, Now.AddMinutes(-30), "Ready"),
            (MachineConditions.Available, ConditionStatus.True, Now.AddMinutes(-30), "Available"),
            (MachineConditions.NodeHealthy, ConditionStatus.True, Now.AddMinutes(-30), "NodeHealthy"));

    public static Machine With(this Machine m, string type, string status, string reason = "Reason", string message = "", DateTime? since = null)
    {
        Conditions.Set(m.Status, new Condition { Type = type, Status = status, Reason = reason, Message = message }, since ?? Now);
        return m;
    }

    public static Machine Annotated(this Machine m, string key, string value = "")
    {
        m.Metadata.Annotations ??= new Dictionary<string, string>();
        m.Metadata.Annotations[key] = value;
        return m;
    }

    public static Machine Labelled(this Machine m, string key, string value)
    {
        m.Metadata.Labels ??= new Dictionary<string, string>();
        m.Metadata.Labels[key] = value;
        return m;
    }

    public static Machine Deleting(this Machine m, DateTime? since = null)
    {
        m.Metadata.DeletionTimestamp = since ?? Now;
        return m;
    }

    public static V1Node Node(string name, params (string Type, string Status, DateTime Since, string Reason)[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Status = new V1NodeStatus
        {
            Conditions = conditions.Select(c => new V1NodeCondition { Type = c.Type, Status = c.Status, LastTransitionTime = c.Since, Reason = c.Reason }).ToList(),
        },
    };
}
