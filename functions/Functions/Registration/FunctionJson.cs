using System.Text.Json;

namespace ServerlessCapi.Functions.Registration;

/// <summary>JSON settings shared by message bodies and payloads.</summary>
public static class FunctionJson
{
    /// <summary>camelCase out, case-insensitive in (what queue messages and admin APIs use).</summary>
    public static JsonSerializerOptions Web { get; } = new(JsonSerializerDefaults.Web);
}
