using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Functions.CustomHandler;

/// <summary>What the Functions host posts to <c>/{functionName}</c>: trigger and input data by binding name, and
/// trigger metadata.</summary>
public sealed class InvocationRequest
{
    public Dictionary<string, JsonElement> Data { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public Dictionary<string, JsonElement> Metadata { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Makes binding and metadata lookups case-insensitive (the host's casing varies by trigger).</summary>
    public InvocationRequest Normalize()
    {
        Data = new Dictionary<string, JsonElement>(Data ?? [], StringComparer.OrdinalIgnoreCase);
        Metadata = new Dictionary<string, JsonElement>(Metadata ?? [], StringComparer.OrdinalIgnoreCase);
        return this;
    }

    /// <summary>A binding's value as text: strings as they are, anything else as its JSON.</summary>
    public string? DataText(string binding) => Data.TryGetValue(binding, out var v) ? Text(v) : null;

    public string? MetadataText(string key) => Metadata.TryGetValue(key, out var v) ? Text(v) : null;

    public long MetadataLong(string key, long fallback) =>
        Metadata.TryGetValue(key, out var v) && v.ValueKind switch
        {
            JsonValueKind.Number => v.TryGetInt64(out var n) ? (long?)n : null,
            JsonValueKind.String => long.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var n) ? n : null,
            _ => null,
        } is { } value
            ? value
            : fallback;

    public DateTimeOffset? MetadataTime(string key) =>
        MetadataText(key) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    internal static string? Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => value.GetRawText(),
    };
}

/// <summary>What the custom handler answers: output bindings by name, log lines, and the <c>$return</c> value.</summary>
public sealed class InvocationResponse
{
    public Dictionary<string, object?> Outputs { get; set; } = new(StringComparer.Ordinal);
    public List<string> Logs { get; set; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public object? ReturnValue { get; set; }
}

/// <summary>The <c>res</c> output of an HTTP function: the response the Functions host sends to the caller.</summary>
public sealed class HttpOutput
{
    [JsonPropertyName("statusCode")]
    public int StatusCode { get; set; }

    [JsonPropertyName("headers")]
    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    [JsonPropertyName("body")]
    public string? Body { get; set; }
}

/// <summary>The <c>req</c> data of an HTTP trigger as the Functions host sends it.</summary>
public sealed class HttpRequestData
{
    public string? Url { get; set; }
    public string? Method { get; set; }
    /// <summary>An object of query parameters, or that object as a JSON string (hosts differ).</summary>
    public JsonElement Query { get; set; }
    public Dictionary<string, JsonElement>? Headers { get; set; }
    public Dictionary<string, string?>? Params { get; set; }
    public string? Body { get; set; }
}
