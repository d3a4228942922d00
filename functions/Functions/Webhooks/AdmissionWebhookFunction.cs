using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Admission;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Webhooks;

/// <summary>CAPI's admission webhooks as HTTP functions: one function per webhook path (<c>/mutate-…</c>,
/// <c>/validate-…</c>) at the root, anonymous (the API server authenticates the app by its TLS certificate; nothing
/// here reads or changes state), answering AdmissionReview v1.</summary>
public sealed class AdmissionWebhookFunction(AdmissionHandler handler, ILogger<AdmissionWebhookFunction> logger) : IHttpFunction
{
    /// <summary>The API server caps objects at about 3 MiB; a review holds the object twice on updates.</summary>
    private const int MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>Feature gates (<c>Admission:ClusterTopology</c>, <c>Admission:KubeadmBootstrapFormatIgnition</c>, …).</summary>
    public const string Section = "Admission";

    // Messages quote field values; keep the quotes readable in the answer instead of \u0022.
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Register(FunctionsBuilder f)
    {
        foreach (var endpoint in AdmissionWebhooks.Endpoints)
        {
            var path = endpoint.Path.TrimStart('/');
            f.Http<AdmissionWebhookFunction>(path, "POST", path, AuthorizationLevel.Anonymous, atRoot: true);
        }
    }

    public static void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.TryAddSingleton(_ => new AdmissionHandler(configuration.GetSection(Section).Get<AdmissionOptions>() ?? AdmissionOptions.Default));

    public async Task<IResult> RunAsync(HttpRequest request, CancellationToken ct)
    {
        // The last segment names the webhook whether the app serves it at the root or under the host's route prefix.
        var name = (request.Path.Value ?? "").TrimEnd('/').Split('/')[^1];
        if (AdmissionWebhooks.Find(name) is not { } endpoint)
            return Results.NotFound();
        if (request.ContentLength > MaxBodyBytes)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        JsonNode? review;
        try
        {
            review = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return Results.BadRequest(new { error = "BadRequest", reason = $"the body is not an AdmissionReview: {e.Message}" });
        }
        var answer = handler.Handle(endpoint, review);
        var response = answer["response"]!;
        if (response["allowed"]?.GetValue<bool>() == false)
        {
            var asked = review?["request"];
            var metadata = asked?["object"]?["metadata"];
            logger.LogInformation("Admission {Webhook} refused {Operation} of {Namespace}/{Name}: {Message}", endpoint.Name,
                asked?["operation"]?.GetValue<string>(), (asked?["namespace"] ?? metadata?["namespace"])?.GetValue<string>(),
                (asked?["name"] ?? metadata?["name"])?.GetValue<string>(), response["status"]?["message"]?.GetValue<string>());
        }
        return Results.Text(answer.ToJsonString(Readable), "application/json");
    }
}
