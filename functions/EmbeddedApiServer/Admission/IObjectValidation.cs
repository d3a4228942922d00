using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>The seam between mutating and validating admission: where kube-apiserver validates the (mutated)
/// object against its schema, CEL rules and metadata rules before validating webhooks see it.</summary>
/// <remarks>Called for every create, update and patch (including server-side apply and the status and scale
/// subresources) of every resource, with or without webhooks; synchronous because it is pure computation.
/// Reject by throwing <see cref="Errors.ApiException"/> (422 Invalid, as kube does).</remarks>
public interface IObjectValidation
{
    /// <param name="attributes">The request (operation, resource, subresource, namespace, name, dry run).</param>
    /// <param name="obj">The object after mutating webhooks (a Scale for the scale subresource).</param>
    /// <param name="old">The current object for an update; null for a create.</param>
    void Validate(AdmissionAttributes attributes, JsonObject obj, JsonObject? old);
}

/// <summary>The default: no validation stage.</summary>
public sealed class NoObjectValidation : IObjectValidation
{
    public static NoObjectValidation Instance { get; } = new();

    public void Validate(AdmissionAttributes attributes, JsonObject obj, JsonObject? old)
    {
    }
}
