using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>An admission webhook over HTTPS on loopback with a CA made for the test: each path allows, denies,
/// patches or hangs as the test sets it, and every AdmissionReview request it receives is kept.</summary>
public sealed class TestWebhookServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<JsonObject, JsonObject?>> _behaviour = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<JsonObject>> _received = new(StringComparer.Ordinal);

    private TestWebhookServer(WebApplication app, string url, string caPem)
    {
        _app = app;
        Url = url;
        CaBundle = Convert.ToBase64String(Encoding.UTF8.GetBytes(caPem));
    }

    /// <summary>The in-cluster name the certificate also carries, for webhooks registered by service reference.</summary>
    public const string ServiceHostName = "webhook.test-system.svc";

    /// <summary>https://127.0.0.1:PORT</summary>
    public string Url { get; }

    /// <summary>The base64 PEM of the CA that signed the serving certificate (a webhook's <c>caBundle</c>).</summary>
    public string CaBundle { get; }

    public static async Task<TestWebhookServer> StartAsync()
    {
        var (ca, leaf) = Certificates("scapi-test-webhook-ca");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(leaf)));
        var app = builder.Build();
        TestWebhookServer? self = null;
        app.Run(async http => await self!.HandleAsync(http));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        self = new TestWebhookServer(app, $"https://127.0.0.1:{port}", ca.ExportCertificatePem());
        return self;
    }

    /// <summary>A base64 PEM CA bundle of an unrelated CA (its certificates are not the ones the server presents).</summary>
    public static string OtherCaBundle() => Convert.ToBase64String(Encoding.UTF8.GetBytes(Certificates("scapi-unrelated-ca").Ca.ExportCertificatePem()));

    /// <summary>Sets what a path answers: a function of the request giving the response (allowed, status, patch,
    /// warnings); null makes the call hang until the caller gives up.</summary>
    public string On(string path, Func<JsonObject, JsonObject?> respond)
    {
        _behaviour[path] = respond;
        return Url + path;
    }

    public IReadOnlyList<JsonObject> Received(string path) =>
        _received.TryGetValue(path, out var q) ? q.ToList() : [];

    public static JsonObject Allow() => new() { ["allowed"] = true };

    public static JsonObject Deny(int code, string message, string reason = "Forbidden") =>
        new() { ["allowed"] = false, ["status"] = new JsonObject { ["code"] = code, ["message"] = message, ["reason"] = reason } };

    public static JsonObject Patch(string jsonPatch) => new()
    {
        ["allowed"] = true,
        ["patchType"] = "JSONPatch",
        ["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(jsonPatch)),
    };

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "/";
        var review = (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted))!.AsObject();
        var request = review["request"]!.AsObject();
        _received.GetOrAdd(path, _ => new ConcurrentQueue<JsonObject>()).Enqueue(request);
        if (!_behaviour.TryGetValue(path, out var respond))
        {
            http.Response.StatusCode = 404;
            return;
        }
        var response = respond(request);
        if (response is null)
        {
            // Hang until the API server gives up on the call (its timeout) or the server stops.
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        response["uid"] ??= request["uid"]!.GetValue<string>();
        var body = new JsonObject { ["apiVersion"] = "admission.k8s.io/v1", ["kind"] = "AdmissionReview", ["response"] = response };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }

    private static (X509Certificate2 Ca, X509Certificate2 Leaf) Certificates(string caName)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={caName}", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now, now.AddDays(1));

        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=webhook", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName(ServiceHostName);
        leafRequest.CertificateExtensions.Add(san.Build());
        leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var leafPublic = leafRequest.Create(ca, now, now.AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var leafWithKey = leafPublic.CopyWithPrivateKey(leafKey);
        var leaf = X509CertificateLoader.LoadPkcs12(leafWithKey.Export(X509ContentType.Pkcs12), null);
        return (X509CertificateLoader.LoadCertificate(ca.RawData), leaf);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
