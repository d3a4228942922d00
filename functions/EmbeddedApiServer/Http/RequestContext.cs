using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Storage;
using ServerlessCapi.EmbeddedApiServer.Table;

namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>One resource request: the cluster and resource it targets and its query parameters.</summary>
public sealed record RequestContext(HttpContext Http, Cluster Cluster, ResourceStore Store, ApiRoute Route, ServerSettings Settings)
{
    private readonly Model.ResourceType? _type;

    /// <summary>The resource as the request sees it; differs from <see cref="Store"/>'s when it is served from another
    /// resource's store (<see cref="Model.ResourceType.StoredAs"/>).</summary>
    public Model.ResourceType Type
    {
        get => _type ?? Store.Type;
        init => _type = value;
    }

    public HttpRequest Request => Http.Request;
    public HttpResponse Response => Http.Response;
    public CancellationToken Ct => Http.RequestAborted;
    public string? Namespace => Type.Namespaced ? Route.Namespace : null;
    public string Query(string name) => Request.Query[name].ToString();

    public LabelSelector Labels => LabelSelector.Parse(Query("labelSelector"));
    public FieldSelector Fields => FieldSelector.Parse(Query("fieldSelector"), Type);

    public bool WantsTable => Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    public TableBuilder.IncludeObject IncludeObject => Query("includeObject") switch
    {
        "Object" => TableBuilder.IncludeObject.Object,
        "None" => TableBuilder.IncludeObject.None,
        _ => TableBuilder.IncludeObject.Metadata,
    };

    public WriteOptions WriteOptions => new(
        DryRun(Request.Query["dryRun"].ToArray()),
        Query("fieldManager") is { Length: > 0 } m ? m : null,
        Query("fieldValidation") switch
        {
            "" or "Warn" => "Warn",
            "Strict" => "Strict",
            "Ignore" => "Ignore",
            var other => throw ApiException.BadRequest($"fieldValidation: Unsupported value: \"{other}\": supported values: \"Ignore\", \"Strict\", \"Warn\""),
        })
    { DuplicateFields = Validation.DuplicateFields.Of(Http) };

    /// <summary>Sends a write's warnings as Warning headers, as kube-apiserver does.</summary>
    public void Warn(WriteResult result)
    {
        foreach (var w in result.Warnings)
            Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
    }

    public static bool DryRun(IEnumerable<string?> values)
    {
        var dryRun = false;
        foreach (var v in values)
        {
            if (v == "All") dryRun = true;
            else if (!string.IsNullOrEmpty(v)) throw ApiException.BadRequest($"Invalid dryRun value \"{v}\": valid values are \"All\"");
        }
        return dryRun;
    }

    /// <summary>Checks a body's apiVersion and kind against the URL and fills them in when absent.</summary>
    public void Stamp(JsonObject body)
    {
        var expected = Type.GroupVersion(Route.Version);
        if (ObjectRules.Text(body, "apiVersion") is { Length: > 0 } apiVersion && apiVersion != expected)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expected})");
        if (ObjectRules.Text(body, "kind") is { Length: > 0 } kind && kind != Type.Kind)
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({Type.Kind})");
        body["apiVersion"] = expected;
        body["kind"] = Type.Kind;
    }

    /// <summary>The bytes a client gets for a stored object, in the requested version (converted when the resource is
    /// served from another's store).</summary>
    public byte[] Serve(StoredObject obj) => Type.StoredAs is { } conversion
        ? System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(conversion.FromStorage(obj.Parse(), Type.GroupVersion(Route.Version)))
        : obj.JsonFor(Type, Route.Version);

    /// <summary>An object as the client sees it, from either its stored or its served form (a patch applies to this).</summary>
    public JsonObject AsServed(JsonObject obj)
    {
        var apiVersion = Type.GroupVersion(Route.Version);
        if (Type.StoredAs is { } conversion && ObjectRules.Text(obj, "apiVersion") != apiVersion) return conversion.FromStorage(obj, apiVersion);
        obj["apiVersion"] = apiVersion;
        return obj;
    }

    /// <summary>A body the client wrote, in the form its store keeps (unchanged unless the resource is converted).</summary>
    public JsonObject AsStored(JsonObject served, bool create) =>
        Type.StoredAs is { } conversion && ObjectRules.Text(served, "apiVersion") != conversion.StorageApiVersion
            ? conversion.ToStorage(served, create)
            : served;
}

/// <summary>Server-wide settings the handlers read.</summary>
public sealed record ServerSettings(TimeSpan BookmarkInterval, TimeSpan DefaultWatchTimeout)
{
    /// <summary>Admission webhooks and the object validation stage every write passes.</summary>
    public global::ServerlessCapi.EmbeddedApiServer.Admission.AdmissionChain Admission { get; init; } =
        global::ServerlessCapi.EmbeddedApiServer.Admission.AdmissionChain.Default;
}
