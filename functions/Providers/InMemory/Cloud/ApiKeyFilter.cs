using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>Admits requests that carry the cloud's key as <c>x-api-key</c> or <c>Authorization: Bearer</c>.</summary>
public sealed class ApiKeyFilter(string key) : IEndpointFilter
{
    public const string HeaderName = "x-api-key";
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Request.Headers;
        string? presented = headers[HeaderName];
        if (presented is null && headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = auth["Bearer ".Length..].Trim();
        if (presented is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key))
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid API key is required.");
        return await next(context);
    }
}
