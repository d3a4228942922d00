using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace ServerlessCapi.Functions.CustomHandler;

/// <summary>Turns the host's <c>req</c> data into an <see cref="HttpContext"/> an <see cref="IResult"/> can run
/// against, and the written response back into the <c>res</c> output.</summary>
internal static class HttpInvocationBridge
{
    public static HttpContext ToContext(HttpRequestData req, IServiceProvider services, CancellationToken aborted)
    {
        var context = new DefaultHttpContext { RequestServices = services, RequestAborted = aborted };
        var request = context.Request;
        request.Method = string.IsNullOrEmpty(req.Method) ? "GET" : req.Method.ToUpperInvariant();
        if (Uri.TryCreate(req.Url, UriKind.Absolute, out var url))
        {
            request.Scheme = url.Scheme;
            request.Host = new HostString(url.Authority);
            request.Path = url.AbsolutePath;
            request.QueryString = new QueryString(url.Query);
        }

        if (request.QueryString.Value is null or "" && QueryObject(req.Query) is { Count: > 0 } query)
            request.QueryString = QueryString.Create(query);

        foreach (var (name, value) in req.Headers ?? [])
            request.Headers[name] = HeaderValues(value);

        var body = Encoding.UTF8.GetBytes(req.Body ?? "");
        request.Body = new MemoryStream(body);
        request.ContentLength = body.Length;
        foreach (var (name, value) in req.Params ?? [])
            request.RouteValues[name] = value;

        context.Response.Body = new MemoryStream();
        return context;
    }

    public static HttpOutput ToOutput(HttpContext context)
    {
        var response = context.Response;
        var output = new HttpOutput { StatusCode = response.StatusCode };
        foreach (var (name, values) in response.Headers)
            output.Headers[name] = values.ToString();
        if (response.Body is MemoryStream buffer)
            output.Body = Encoding.UTF8.GetString(buffer.ToArray());
        return output;
    }

    private static Dictionary<string, string?>? QueryObject(JsonElement query)
    {
        var element = query;
        if (query.ValueKind == JsonValueKind.String)
        {
            try
            {
                element = JsonDocument.Parse(query.GetString() ?? "{}").RootElement;
            }
            catch (JsonException)
            {
                return null;
            }
        }
        if (element.ValueKind != JsonValueKind.Object) return null;
        return element.EnumerateObject().ToDictionary(p => p.Name, p => InvocationRequest.Text(p.Value));
    }

    private static StringValues HeaderValues(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => new StringValues(value.EnumerateArray().Select(InvocationRequest.Text).ToArray()),
        _ => new StringValues(InvocationRequest.Text(value)),
    };
}
