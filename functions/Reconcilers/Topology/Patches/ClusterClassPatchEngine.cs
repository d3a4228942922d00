using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;
using ApiJsonPatch = ServerlessCapi.Api.JsonPatch;
using RfcJsonPatch = ServerlessCapi.EmbeddedApiServer.Patch.JsonPatch;

namespace ServerlessCapi.Reconcilers.Topology.Patches;

/// <summary>Applies a ClusterClass's patches in their order: inline definitions (selector, enabledIf, JSON patches
/// with values, variables or templates) and external ones through <see cref="IExternalPatchExtension"/>.</summary>
/// <remarks>As CAPI's engine: each patch sees the objects as earlier patches left them; enabledIf is evaluated per
/// object with that object's variables. Unlike CAPI, which silently keeps only the spec of a patched template, a
/// patch reaching outside <c>/spec/</c> is an error, so a class author learns of it. The RFC 6902 operations are
/// the embedded API server's own JSON patch.</remarks>
public sealed class ClusterClassPatchEngine(IEnumerable<IExternalPatchExtension> extensions) : ITopologyPatchEngine
{
    public async Task<TopologyPatchResult> ApplyAsync(ClusterClass clusterClass, Cluster cluster, DesiredTemplates desired, CancellationToken ct)
    {
        var patches = clusterClass.Spec.Patches ?? [];
        if (patches.Count == 0 || cluster.Spec.Topology is null)
            return TopologyPatchResult.Success(desired);
        var extension = extensions.FirstOrDefault();
        var global = PatchTargets.Global(cluster);
        var targets = PatchTargets.Build(cluster, desired, global);
        for (var i = 0; i < patches.Count; i++)
        {
            var patch = patches[i];
            var path = $"spec.patches[{i}]";
            var error = patch.External is { } external
                ? await ApplyExternalAsync(external, extension, global, targets, path, ct).ConfigureAwait(false)
                : ApplyInline(patch, targets, path);
            if (error is not null)
                return new TopologyPatchResult { Error = error };
        }
        return TopologyPatchResult.Success(PatchTargets.Result(desired, targets));
    }

    private static TopologyFieldError? ApplyInline(ClusterClassPatch patch, List<PatchTarget> targets, string path)
    {
        var definitions = patch.Definitions ?? [];
        foreach (var target in targets)
        {
            var matching = Enumerable.Range(0, definitions.Count).Where(j => PatchSelectors.Matches(definitions[j].Selector, target)).ToList();
            if (matching.Count == 0)
                continue;
            if (!string.IsNullOrEmpty(patch.EnabledIf))
            {
                try
                {
                    if (!PatchValues.IsEnabled(patch.EnabledIf, target.Variables))
                        continue;
                }
                catch (Exception e) when (e is TemplateException or PatchValueException)
                {
                    return new($"{path}.enabledIf", $"failed to calculate if patch is enabled for \"{Kind(target)}\": {e.Message}");
                }
            }
            foreach (var j in matching)
            {
                var ops = definitions[j].JsonPatches;
                for (var k = 0; k < ops.Count; k++)
                {
                    if (ApplyOne(ops[k], target, $"{path}.definitions[{j}].jsonPatches[{k}]") is { } error)
                        return error;
                }
            }
        }
        return null;
    }

    private static TopologyFieldError? ApplyOne(ApiJsonPatch op, PatchTarget target, string path)
    {
        if (PatchValues.CheckPath(op.Op, op.Path) is { } pathError)
            return new($"{path}.path", pathError);
        var rfc = new JsonObject { ["op"] = op.Op, ["path"] = op.Path };
        if (op.Op is ApiJsonPatch.Add or ApiJsonPatch.Replace)
        {
            try
            {
                rfc["value"] = PatchValues.Calculate(op, target.Variables);
            }
            catch (Exception e) when (e is TemplateException or PatchValueException)
            {
                var field = op.ValueFrom?.Variable is not null ? ".valueFrom.variable" : op.ValueFrom?.Template is not null ? ".valueFrom.template" : "";
                return new($"{path}{field}", $"failed to calculate value for \"{Kind(target)}\": {e.Message}");
            }
        }
        return Apply(target, new JsonArray(rfc), path);
    }

    private static TopologyFieldError? Apply(PatchTarget target, JsonArray ops, string path)
    {
        try
        {
            target.Object = RfcJsonPatch.Apply((JsonObject)target.Object.DeepClone(), ops);
            return null;
        }
        catch (ApiException e)
        {
            return new(path, $"failed to apply patch to \"{Kind(target)}\": {e.Message}");
        }
    }

    private static async Task<TopologyFieldError?> ApplyExternalAsync(ExternalPatchDefinition external, IExternalPatchExtension? extension,
        JsonObject global, List<PatchTarget> targets, string path, CancellationToken ct)
    {
        if (external.GeneratePatchesExtension is not { Length: > 0 } name)
            return null; // A patch with only a validate or discover extension generates nothing.
        if (extension is null)
            return new($"{path}.external.generatePatchesExtension", $"patch uses the runtime extension \"{name}\", but no runtime extension caller is registered, so external patches cannot be applied");
        var items = targets.Select(t => new ExternalPatchItem(t.Id, t.HolderKind, t.HolderFieldPath, (JsonObject)t.Object.DeepClone(), (JsonObject)t.OwnVariables.DeepClone())).ToList();
        var request = new ExternalPatchRequest(name, external.Settings ?? [], (JsonObject)global.DeepClone(), items);
        var response = await extension.GeneratePatchesAsync(request, ct).ConfigureAwait(false);
        if (response.Error is { } failure)
            return new($"{path}.external.generatePatchesExtension", $"runtime extension \"{name}\" failed: {failure}");
        foreach (var (id, ops) in response.Patches)
        {
            var target = targets.FirstOrDefault(t => t.Id == id);
            if (target is null)
                return new($"{path}.external.generatePatchesExtension", $"runtime extension \"{name}\" returned a patch for an unknown object \"{id}\"");
            foreach (var op in ops.OfType<JsonObject>())
            {
                if (PatchValues.CheckPath(op["op"]?.ToString() ?? "", op["path"]?.ToString() ?? "") is { } pathError)
                    return new($"{path}.external.generatePatchesExtension", $"runtime extension \"{name}\" returned an invalid patch: {pathError}");
            }
            if (Apply(target, (JsonArray)ops.DeepClone(), $"{path}.external.generatePatchesExtension") is { } error)
                return error;
        }
        return null;
    }

    private static string Kind(PatchTarget t) => t.Object["kind"]?.ToString() ?? "";
}
