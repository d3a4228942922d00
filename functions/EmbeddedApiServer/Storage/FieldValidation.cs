using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>The fieldValidation request parameter applied to the fields a CRD schema pruned and to fields the body
/// repeated. Kubernetes' server default (no parameter) is Warn; kubectl sends Strict for create, replace and apply.</summary>
public static class FieldValidation
{
    public static IReadOnlyList<string> Check(ResourceType type, string name, IReadOnlyList<string> unknown, WriteOptions opts)
    {
        var mode = opts.FieldValidation;
        if ((unknown.Count == 0 && opts.DuplicateFields.Count == 0) || mode == "Ignore") return [];
        var messages = opts.DuplicateFields.Select(f => $"duplicate field \"{f}\"")
            .Concat(unknown.Select(f => $"unknown field \"{f}\"")).ToList();
        if (mode == "Strict")
        {
            throw ApiException.BadRequest(
                $"{type.Kind} in version \"{type.StorageVersion}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", messages)}");
        }
        return messages;
    }
}
