using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary><c>status.certificatesExpiryDate</c> from the <c>machine.cluster.x-k8s.io/certificates-expiry</c>
/// annotation: the Machine's own first (a user's word wins), else its bootstrap config's (where the control plane
/// records what it read from the node), else none.</summary>
internal static class MachineCertificatesExpiry
{
    public static void Apply(Api.Machine machine, JsonObject? bootstrapConfig)
    {
        var text = machine.Metadata.Annotation(CapiAnnotations.MachineCertificatesExpiry)
            ?? (bootstrapConfig?["metadata"]?["annotations"]?[CapiAnnotations.MachineCertificatesExpiry] as JsonValue)?.GetValue<string>();
        machine.Status.CertificatesExpiryDate =
            text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiry)
                ? expiry.UtcDateTime
                : null;
    }
}
