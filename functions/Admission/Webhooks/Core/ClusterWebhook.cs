using System.Net;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's Cluster webhooks for what the product models: the topology version prefix; a label-valid name,
/// references that may not be removed, one of controlPlaneRef / infrastructureRef / topology, valid CIDR blocks, and the
/// topology only behind the ClusterTopology gate (ClusterClass checks need the ClusterClass and are not made here).</summary>
public sealed class ClusterWebhook() : KindWebhook<Cluster>(CapiGroups.Core, Cluster.KubeKind, "clusters")
{
    public override IReadOnlyList<string> ValidatedOperations => ["CREATE", "UPDATE", "DELETE"];

    protected override IReadOnlyList<FieldError> Default(Cluster obj, Cluster? old, AdmissionContext context)
    {
        if (obj.Spec.Topology is { } topology)
        {
            topology.Version = VersionRules.Normalize(topology.Version) ?? "";
            if (topology.ClassRef.Name.Length == 0)
                return [FieldError.Required(FieldPath.Root("spec", "topology", "classRef", "name"), "cannot be empty")];
        }
        return [];
    }

    protected override AdmissionVerdict Validate(Cluster obj, Cluster? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        var name = obj.Metadata.Name ?? "";
        foreach (var error in LabelRules.LabelValueErrors(name))
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata", "name"), name, $"must be a valid label value {error}"));
        foreach (var (reference, field) in new[] { (obj.Spec.InfrastructureRef, "infrastructureRef"), (obj.Spec.ControlPlaneRef, "controlPlaneRef") })
        {
            errors.AddRange(SchemaRules.Reference(spec.Child(field), reference));
            if (reference?.AdditionalProperties?.ContainsKey("namespace") == true)
            {
                errors.Add(FieldError.Forbidden(spec.Child(field, "namespace"),
                    "v1beta2 references have no namespace: the referenced object must be in the Cluster's namespace"));
            }
        }
        if (!CoreRules.IsDefined(obj.Spec.InfrastructureRef) && CoreRules.IsDefined(old?.Spec.InfrastructureRef))
            errors.Add(FieldError.Forbidden(spec.Child("infrastructureRef"), "cannot be removed"));
        if (!CoreRules.IsDefined(obj.Spec.ControlPlaneRef) && !CoreRules.IsDefined(obj.Spec.InfrastructureRef) && obj.Spec.Topology is null)
            errors.Add(FieldError.Forbidden(spec, "one of spec.controlPlaneRef, spec.infrastructureRef or spec.topology must be set"));
        if (!CoreRules.IsDefined(obj.Spec.ControlPlaneRef) && CoreRules.IsDefined(old?.Spec.ControlPlaneRef))
            errors.Add(FieldError.Forbidden(spec.Child("controlPlaneRef"), "cannot be removed"));
        var network = obj.Spec.ClusterNetwork;
        errors.AddRange(SchemaRules.Minimum(spec.Child("clusterNetwork", "apiServerPort"), network?.ApiServerPort, 1));
        errors.AddRange(SchemaRules.Maximum(spec.Child("clusterNetwork", "apiServerPort"), network?.ApiServerPort, 65535));
        errors.AddRange(Cidrs(spec.Child("clusterNetwork", "pods", "cidrBlocks"), network?.Pods?.CidrBlocks));
        errors.AddRange(Cidrs(spec.Child("clusterNetwork", "services", "cidrBlocks"), network?.Services?.CidrBlocks));
        var topologyPath = spec.Child("topology");
        if (obj.Spec.Topology is { } topology)
        {
            if (!context.Options.ClusterTopology)
                errors.Add(FieldError.Forbidden(topologyPath, "can be set only if the ClusterTopology feature flag is enabled"));
            else if (topology.ClassRef.Name.Length == 0)
                errors.Add(FieldError.Required(topologyPath.Child("class"), "classRef.name cannot be empty"));
            else
            {
                errors.AddRange(VersionRules.Validate(topologyPath.Child("version"), topology.Version, "version must be a valid semantic version"));
                errors.AddRange(TopologyRules.WorkerNames(topologyPath, topology));
                if (old?.Spec.Topology is { } before && obj.Metadata.Annotations?.ContainsKey(TopologyMetadata.UnsafeUpdateVersionAnnotation) != true)
                    errors.AddRange(TopologyRules.VersionChange(topologyPath.Child("version"), before.Version, topology.Version));
            }
        }
        if (old?.Spec.Topology is not null && obj.Spec.Topology is null)
            errors.Add(FieldError.Forbidden(topologyPath, "cannot be removed from an existing Cluster"));
        return Verdict(obj, errors);
    }

    private static IEnumerable<FieldError> Cidrs(FieldPath path, List<string>? cidrs)
    {
        for (var i = 0; i < (cidrs?.Count ?? 0); i++)
        {
            if (!IsCidr(cidrs![i]))
                yield return FieldError.Invalid(path.Index(i), cidrs[i], $"invalid CIDR address: {cidrs[i]}");
        }
    }

    /// <summary>net.ParseCIDR: an IP address and a prefix length within its family's bits.</summary>
    private static bool IsCidr(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || !IPAddress.TryParse(text[..slash], out var address) || text[..slash].Contains('%', StringComparison.Ordinal))
            return false;
        var bits = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && text[..slash].Count(c => c == '.') != 3)
            return false;
        var prefix = text[(slash + 1)..];
        return prefix.Length is > 0 and <= 3 && prefix.All(char.IsAsciiDigit) && (prefix.Length == 1 || prefix[0] != '0')
            && int.Parse(prefix, System.Globalization.CultureInfo.InvariantCulture) <= bits;
    }
}
