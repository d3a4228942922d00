using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessCapi.EmbeddedApiServer.Errors;

namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>Reading request bodies and writing JSON responses.</summary>
public static class HttpIo
{
    public const string Json = "application/json";

    public static async Task<JsonNode?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentType?.StartsWith(Protobuf.ProtobufBody.ContentType, StringComparison.Ordinal) == true)
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            try
            {
                return buffer.Length == 0 ? null : Protobuf.ProtobufBody.Decode(buffer.ToArray());
            }
            catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                throw ApiException.BadRequest($"the body of the request could not be decoded as protobuf: {e.Message}");
            }
        }
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) return null;
        var contentType = request.ContentType ?? Json;
        try
        {
            if (contentType.Contains("yaml", StringComparison.OrdinalIgnoreCase) && !text.TrimStart().StartsWith('{'))
                return YamlJson.Parse(text);
            return Validation.DuplicateFields.Parse(text, request.HttpContext);
        }
        catch (Exception e) when (e is JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiException.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct) =>
        await ReadBodyAsync(request, ct) as JsonObject
        ?? throw ApiException.BadRequest("the body of the request was empty or not a JSON object");

    public static Task WriteAsync(HttpResponse response, int code, JsonNode body, CancellationToken ct) =>
        WriteBytesAsync(response, code, JsonSerializer.SerializeToUtf8Bytes(body), ct, Json);

    public static async Task WriteBytesAsync(HttpResponse response, int code, byte[] body, CancellationToken ct, string contentType = Json)
    {
        response.StatusCode = code;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, ct);
    }

    public static Task WriteErrorAsync(HttpResponse response, ApiException e, CancellationToken ct) =>
        WriteAsync(response, e.Code, e.ToStatus(), ct);

    public static bool Flag(HttpRequest request, string name) =>
        request.Query[name].ToString() is "true" or "1" or "True";
}
