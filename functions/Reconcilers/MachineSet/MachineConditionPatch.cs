using System.Text.Json.Nodes;
using k8s;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>Writes a few conditions on a Machine whose status is otherwise the Machine workflow's (CAPI's
/// MachineHealthCheck and MachineSet do the same with HealthCheckSucceeded and OwnerRemediated).</summary>
/// <remarks>
/// A merge patch replaces <c>status.conditions</c> as a whole, so the patch carries the full list as read with
/// only the owned conditions changed, fenced by the read resourceVersion: a concurrent writer makes it fail
/// with 409 instead of one side losing the other's conditions. The caller looks again on its next step.
/// </remarks>
public static class MachineConditionPatch
{
    /// <summary>Sets <paramref name="set"/> and removes <paramref name="remove"/>; writes only when something
    /// changed. Returns the Machine as written (or as it was). A conflict or a vanished Machine returns null.</summary>
    public static async Task<Api.Machine?> ApplyAsync(KubeApi kube, Api.Machine machine, IEnumerable<Condition> set, IEnumerable<string> remove,
        DateTime now, CancellationToken ct)
    {
        var conditions = machine.Status.Conditions is null ? [] : machine.Status.Conditions.Select(Copy).ToList();
        var changed = false;
        foreach (var type in remove) changed |= Conditions.Remove(conditions, type);
        foreach (var c in set) changed |= Conditions.Set(conditions, c, now);
        if (!changed) return machine;

        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = machine.Metadata.ResourceVersion },
            ["status"] = new JsonObject { ["conditions"] = JsonNode.Parse(KubernetesJson.Serialize(conditions)) },
        };
        try
        {
            return await kube.MergePatchAsync<Api.Machine>(machine.Metadata.NamespaceProperty, machine.Metadata.Name, patch, status: true, ct);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            return null;
        }
    }

    private static Condition Copy(Condition c) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        ObservedGeneration = c.ObservedGeneration,
        LastTransitionTime = c.LastTransitionTime,
        AdditionalProperties = c.AdditionalProperties,
    };
}
