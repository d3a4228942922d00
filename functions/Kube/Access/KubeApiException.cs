using System.Net;

namespace ServerlessCapi.Kube.Access;

/// <summary>A Kubernetes API error with the server's Status reason and message.</summary>
public sealed class KubeApiException(HttpStatusCode status, string? reason, string message)
    : Exception($"{(int)status} {reason}: {message}")
{
    public HttpStatusCode Status { get; } = status;

    /// <summary>The metav1 Status reason (NotFound, AlreadyExists, Conflict, Invalid, ...).</summary>
    public string? Reason { get; } = reason;

    public bool IsNotFound => Status == HttpStatusCode.NotFound;
    public bool IsConflict => Status == HttpStatusCode.Conflict && Reason != "AlreadyExists";
    public bool IsAlreadyExists => Status == HttpStatusCode.Conflict && Reason == "AlreadyExists";
    public bool IsGone => Status == HttpStatusCode.Gone;
}
