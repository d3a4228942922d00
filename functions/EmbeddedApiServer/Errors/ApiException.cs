using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Errors;

/// <summary>A request failure that becomes a metav1 Status body with the matching HTTP code.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int code, string reason, string message, StatusDetails? details = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
    }

    public int Code { get; }
    public string Reason { get; }
    public StatusDetails? Details { get; }

    public static ApiException NotFound(string group, string resource, string name) =>
        new(404, "NotFound", $"{Qualified(group, resource)} \"{name}\" not found", new StatusDetails(name, group, resource));

    public static ApiException AlreadyExists(string group, string resource, string name) =>
        new(409, "AlreadyExists", $"{Qualified(group, resource)} \"{name}\" already exists", new StatusDetails(name, group, resource));

    public static ApiException Conflict(string group, string resource, string name, string why) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {Qualified(group, resource)} \"{name}\": {why}",
            new StatusDetails(name, group, resource));

    public static ApiException StaleResourceVersion(string group, string resource, string name) =>
        Conflict(group, resource, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiException Invalid(string group, string kind, string name, string message, params StatusCause[] causes) =>
        new(422, "Invalid", $"{Qualified(group, kind)} \"{name}\" is invalid: {message}",
            new StatusDetails(name, group, kind) { Causes = causes });

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException Forbidden(string message) => new(403, "Forbidden", message);

    public static ApiException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiException Gone(string message) => new(410, "Expired", message);

    public static ApiException MethodNotSupported(string resource, string verb) =>
        new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({verb} {resource})");

    public static ApiException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got {contentType})");

    public static ApiException PathNotFound() =>
        new(404, "NotFound", "the server could not find the requested resource");

    private static string Qualified(string group, string resource) =>
        group.Length == 0 ? resource : $"{resource}.{group}";

    /// <summary>The metav1 Status object for this failure.</summary>
    public JsonObject ToStatus() => StatusBody.Failure(Code, Reason, Message, Details);
}

/// <summary>The <c>details</c> of a metav1 Status.</summary>
public sealed record StatusDetails(string? Name, string Group, string Kind)
{
    public string? Uid { get; init; }
    public IReadOnlyList<StatusCause> Causes { get; init; } = [];
}

/// <summary>One cause in a Status (field-level validation failures).</summary>
public sealed record StatusCause(string Reason, string Message, string Field);
