using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>The fieldValidation request parameter applied to the fields a CRD schema pruned.</summary>
public static class FieldValidation
{
    public static IReadOnlyList<string> Check(ResourceType type, string name, IReadOnlyList<string> unknown, string mode)
    {
        if (unknown.Count == 0 || mode == "Ignore") return [];
        var messages = unknown.Select(f => $"unknown field \"{f}\"").ToList();
        if (mode == "Strict")
        {
            throw ApiException.BadRequest(
                $"{type.Kind} in version \"{type.StorageVersion}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", messages)}");
        }
        return messages;
    }
}
