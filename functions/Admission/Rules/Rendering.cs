using System.Text.Encodings.Web;
using System.Text.Json;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>How values appear in messages: JSON without HTML escaping, so <c>&lt;</c> and <c>+</c> read as written.</summary>
internal static class Rendering
{
    public static JsonSerializerOptions Options { get; } = new(Manifests.JsonOptions) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
