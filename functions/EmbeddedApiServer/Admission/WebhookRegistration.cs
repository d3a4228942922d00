using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessCapi.EmbeddedApiServer.Http;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>Registers webhook configurations in a running server the way kubectl would (for local runs and tests).</summary>
public static partial class WebhookRegistration
{
    private const string FieldManager = "scapi";

    /// <summary>Creates or updates (server-side apply) every Mutating- and ValidatingWebhookConfiguration of a YAML or
    /// JSON manifest (documents separated by <c>---</c>) in the management cluster (null) or a workload cluster.</summary>
    /// <returns>The names of the configurations applied, in manifest order.</returns>
    /// <exception cref="InvalidOperationException">A document is not a webhook configuration, or the server refused it (its message says why).</exception>
    public static async Task<IReadOnlyList<string>> ApplyWebhookConfigurationsAsync(this EmbeddedApiServer server, string manifest,
        string? cluster = null, CancellationToken ct = default)
    {
        using var http = server.CreateHttpClient(cluster);
        var applied = new List<string>();
        foreach (var document in DocumentSeparator().Split(manifest).Where(d => !string.IsNullOrWhiteSpace(d)))
        {
            if (YamlJson.Parse(document) is not JsonObject obj) continue;
            var kind = obj["kind"]?.GetValue<string>();
            var type = kind == AdmissionTypes.MutatingWebhookConfigurations.Kind ? AdmissionTypes.MutatingWebhookConfigurations
                : kind == AdmissionTypes.ValidatingWebhookConfigurations.Kind ? AdmissionTypes.ValidatingWebhookConfigurations
                : throw new InvalidOperationException($"Only webhook configurations can be registered this way, not a {kind ?? "document without kind"}.");
            var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidOperationException($"A {kind} needs metadata.name.");
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"apis/{AdmissionTypes.Group}/v1/{type.Plural}/{name}?fieldManager={FieldManager}&force=true")
            {
                Content = new StringContent(obj.ToJsonString(), Encoding.UTF8),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
            using var response = await http.SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                var status = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
                throw new InvalidOperationException($"{kind} {name} was refused: {status?["message"]?.GetValue<string>() ?? response.StatusCode.ToString()}");
            }
            applied.Add(name);
        }
        return applied;
    }

    [GeneratedRegex(@"^---[^\n]*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
