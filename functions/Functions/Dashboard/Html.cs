using System.Globalization;
using System.Net;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>Encoding for text put into the dashboard's HTML: everything read from the cluster is untrusted text.</summary>
internal static class Html
{
    public static string Text(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Attr(string? s) => WebUtility.HtmlEncode(s ?? "");

    /// <summary>A time as a <c>time</c> element: the UTC clock time shown, the full instant in its attribute.</summary>
    public static string Time(DateTimeOffset? t) => t is { } v
        ? $"<time datetime=\"{v.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)}\">{v.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}</time>"
        : "";

    /// <summary>Age as kubectl prints it: 42s, 5m, 3h, 2d.</summary>
    public static string Age(DateTimeOffset? since, DateTimeOffset now) => Text(Reconcilers.Admin.ClusterTreeRenderer.Age(since, now));

    /// <summary>A CSS class for a condition status or phase.</summary>
    public static string Tone(string? status) => status switch
    {
        "True" or "Running" or "Provisioned" or "Available" => "ok",
        "False" or "Failed" or "Deleting" => "bad",
        _ => "wait",
    };
}
