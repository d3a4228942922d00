using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>What one write request does, as admission sees it (the fields of an AdmissionReview request).</summary>
public sealed record AdmissionAttributes
{
    /// <summary>CREATE, UPDATE or DELETE.</summary>
    public required string Operation { get; init; }

    public required ResourceType Type { get; init; }

    /// <summary>The version the client used.</summary>
    public required string Version { get; init; }

    public string? Subresource { get; init; }
    public string? Namespace { get; init; }
    public string Name { get; init; } = "";
    public bool DryRun { get; init; }

    /// <summary>CreateOptions, UpdateOptions or DeleteOptions of the request.</summary>
    public JsonObject? Options { get; init; }

    /// <summary>The kind of the object sent (autoscaling/v1 Scale for the scale subresource); null: the resource's own kind.</summary>
    public (string Group, string Version, string Kind)? ObjectKind { get; init; }

    public static JsonObject OptionsFor(string operation, bool dryRun, string? fieldManager)
    {
        var kind = operation switch { "CREATE" => "CreateOptions", "DELETE" => "DeleteOptions", _ => "UpdateOptions" };
        var options = new JsonObject { ["kind"] = kind, ["apiVersion"] = "meta.k8s.io/v1" };
        if (dryRun) options["dryRun"] = new JsonArray("All");
        if (fieldManager is not null && operation != "DELETE") options["fieldManager"] = fieldManager;
        return options;
    }
}
