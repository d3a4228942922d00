using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology.Patches;

/// <summary>The extension point for external patches: a caller of Runtime SDK GeneratePatches extensions. Register
/// one in the container to support ClusterClasses whose patches name <c>external.generatePatchesExtension</c>;
/// without one, such a class fails with an error naming the patch, and classes with inline patches only never
/// reach it.</summary>
/// <remarks>The engine hands the extension the objects as they stand after the patches before it (patches apply in
/// the class's order), and applies the JSON patches the extension returns under the same rules as inline ones
/// (paths only under <c>/spec/</c>).</remarks>
public interface IExternalPatchExtension
{
    Task<ExternalPatchResponse> GeneratePatchesAsync(ExternalPatchRequest request, CancellationToken ct);
}

/// <param name="Extension">The extension's name (<c>external.generatePatchesExtension</c>).</param>
/// <param name="Settings">The patch's <c>external.settings</c>.</param>
/// <param name="Variables">The Cluster's variables and <c>builtin</c> (the Cluster-wide ones).</param>
/// <param name="Items">One entry per generated object.</param>
public sealed record ExternalPatchRequest(
    string Extension,
    IReadOnlyDictionary<string, string> Settings,
    JsonObject Variables,
    IReadOnlyList<ExternalPatchItem> Items);

/// <param name="Id">Identifies the item in the response.</param>
/// <param name="HolderKind">The kind of the object that refers to this one (Cluster, a control plane kind, MachineDeployment, MachinePool).</param>
/// <param name="HolderFieldPath">The field of the holder that refers to it, e.g. <c>spec.infrastructureRef</c>.</param>
/// <param name="Object">A copy of the object in template shape.</param>
/// <param name="Variables">The per-object variables: topology overrides and the part's builtins.</param>
public sealed record ExternalPatchItem(string Id, string HolderKind, string HolderFieldPath, JsonObject Object, JsonObject Variables);

/// <summary>JSON patches (RFC 6902 arrays) per item id, or the extension's failure message.</summary>
public sealed record ExternalPatchResponse(IReadOnlyDictionary<string, JsonArray> Patches, string? Error = null);
