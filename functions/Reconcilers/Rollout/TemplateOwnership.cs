using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.Ownership;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Rollout;

/// <summary>Gives the templates a MachineDeployment or MachineSet stamps Machines from (a bootstrap config template,
/// an infrastructure machine template) the Cluster as an owner, as CAPI's controllers do, so deleting the Cluster
/// garbage collects them too.</summary>
public static class TemplateOwnership
{
    private const string TemplateSuffix = "Template";

    /// <summary>Adds a (non-controller) owner reference to <paramref name="cluster"/> unless the object has one; only
    /// objects of a <c>…Template</c> kind are touched (a reference to a plain config belongs to its Machine). Returns the
    /// object as stored afterwards.</summary>
    public static async Task<JsonObject> EnsureClusterOwnerAsync(KubeApi kube, JsonObject template, Api.Cluster cluster, CancellationToken ct)
    {
        if (ExternalObjects.Text(template, "kind") is not { } kind || !kind.EndsWith(TemplateSuffix, StringComparison.Ordinal))
            return template;
        var existing = template["metadata"]?["ownerReferences"] as JsonArray ?? [];
        if (existing.OfType<JsonObject>().Any(o => ExternalObjects.Text(o, "uid") == cluster.Metadata.Uid))
            return template;

        var owners = new JsonArray();
        foreach (var o in existing) owners.Add(o?.DeepClone());
        owners.Add(OwnerRefs.ToJson(OwnerRefs.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, cluster.Metadata, controller: false)));
        return await kube.PatchAsync(template, new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = owners } }, ct);
    }
}
