using System.Text.Json.Nodes;

namespace ServerlessCapi.Admission;

/// <summary>What a webhook answers: allowed (with warnings) or a refusal as a Kubernetes Status.</summary>
public sealed record AdmissionVerdict(bool Allowed, JsonObject? Status, IReadOnlyList<string> Warnings)
{
    public static AdmissionVerdict Allow(IReadOnlyList<string>? warnings = null) => new(true, null, warnings ?? []);

    /// <summary>apierrors.NewInvalid: 422, reason Invalid, one cause per field error.</summary>
    public static AdmissionVerdict Invalid(string group, string kind, string name, IReadOnlyList<FieldError> errors, IReadOnlyList<string>? warnings = null)
    {
        var summary = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        var causes = new JsonArray();
        foreach (var e in errors)
            causes.Add(new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field });
        var status = new JsonObject
        {
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = $"{kind}.{group} \"{name}\" is invalid: {summary}",
            ["reason"] = "Invalid",
            ["details"] = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind, ["causes"] = causes },
            ["code"] = 422,
        };
        return new(false, status, warnings ?? []);
    }

    /// <summary>controller-runtime's <c>admission.Denied</c>: an error that is no API status becomes 403 Forbidden.</summary>
    public static AdmissionVerdict Denied(string message) =>
        new(false, new JsonObject { ["metadata"] = new JsonObject(), ["message"] = message, ["reason"] = "Forbidden", ["code"] = 403 }, []);

    /// <summary>A request that cannot be read (controller-runtime's <c>admission.Errored(400, …)</c>).</summary>
    public static AdmissionVerdict BadRequest(string message) =>
        new(false, new JsonObject { ["metadata"] = new JsonObject(), ["message"] = message, ["code"] = 400 }, []);

    /// <summary>The Status message, or null when allowed.</summary>
    public string? Message => Status?["message"]?.GetValue<string>();

    public int? Code => Status?["code"]?.GetValue<int>();
}
