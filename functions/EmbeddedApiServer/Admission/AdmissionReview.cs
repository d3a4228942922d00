using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>Builds the admission.k8s.io/v1 AdmissionReview a webhook is sent.</summary>
public static class AdmissionReview
{
    /// <param name="version">The version the webhook asked for (matchPolicy Equivalent may differ from the request's).</param>
    public static JsonObject Request(AdmissionAttributes a, string uid, string version, JsonObject? obj, JsonObject? old, string user)
    {
        var type = a.Type;
        var kind = a.ObjectKind is { } k ? Gvk(k.Group, k.Version, k.Kind) : Gvk(type.Group, version, type.Kind);
        var requestKind = a.ObjectKind is { } rk ? Gvk(rk.Group, rk.Version, rk.Kind) : Gvk(type.Group, a.Version, type.Kind);
        var request = new JsonObject
        {
            ["uid"] = uid,
            ["kind"] = kind,
            ["resource"] = Gvr(type.Group, version, type.Plural),
            ["requestKind"] = requestKind,
            ["requestResource"] = Gvr(type.Group, a.Version, type.Plural),
        };
        if (a.Subresource is { } sub)
        {
            request["subResource"] = sub;
            request["requestSubResource"] = sub;
        }
        request["name"] = a.Name;
        if (a.Namespace is { } ns) request["namespace"] = ns;
        request["operation"] = a.Operation;
        request["userInfo"] = new JsonObject { ["username"] = user, ["groups"] = new JsonArray("system:masters", "system:authenticated") };
        request["object"] = InVersion(obj, a, version);
        request["oldObject"] = InVersion(old, a, version);
        request["dryRun"] = a.DryRun;
        request["options"] = a.Options?.DeepClone();
        return new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["request"] = request };
    }

    private static JsonObject? InVersion(JsonObject? obj, AdmissionAttributes a, string version)
    {
        if (obj is null) return null;
        var copy = (JsonObject)obj.DeepClone();
        if (a.ObjectKind is null) copy["apiVersion"] = a.Type.GroupVersion(version);
        return copy;
    }

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonObject Gvr(string group, string version, string resource) =>
        new() { ["group"] = group, ["version"] = version, ["resource"] = resource };
}
