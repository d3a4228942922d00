using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>A webhook could not be called or answered badly (what failurePolicy decides about).</summary>
public sealed class WebhookCallException(string message) : Exception(message);

/// <summary>A webhook's verdict.</summary>
public sealed record WebhookVerdict(bool Allowed, JsonObject? Status, byte[]? Patch, IReadOnlyList<string> Warnings);

/// <summary>Posts AdmissionReview v1 requests over TLS that trusts only the webhook's caBundle.</summary>
public sealed class WebhookClient(WebhookOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<(string Ca, string Host), HttpClient> _clients = new();

    public async Task<WebhookVerdict> CallAsync(Webhook w, JsonObject review, string uid, CancellationToken ct)
    {
        var (uri, host) = Target(w);
        var url = new UriBuilder(uri) { Query = Query(uri, w.Timeout) }.Uri;
        var client = _clients.GetOrAdd((w.CaBundlePem ?? "", host), key => NewClient(key.Ca, key.Host));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(w.Timeout);
        byte[] body;
        try
        {
            using var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(review));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PostAsync(url, content, timeout.Token);
            body = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            if ((int)response.StatusCode != 200)
                throw new WebhookCallException($"failed to call webhook: the server responded with the status code {(int)response.StatusCode} but did not return more information");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new WebhookCallException($"failed to call webhook: Post \"{url}\": context deadline exceeded");
        }
        catch (HttpRequestException e)
        {
            var why = e.InnerException is System.Security.Authentication.AuthenticationException
                ? $"tls: failed to verify certificate: not signed by the webhook's caBundle or not valid for {host}"
                : e.InnerException?.Message ?? e.Message;
            throw new WebhookCallException($"failed to call webhook: Post \"{url}\": {why}");
        }
        return Parse(body, uid, w.Mutating);
    }

    private (Uri Uri, string Host) Target(Webhook w)
    {
        if (w.Url is { } url) return (new Uri(url), new Uri(url).IdnHost);
        var service = w.Service ?? throw new WebhookCallException("failed to call webhook: no url or service in clientConfig");
        return (options.ResolveService(service), service.HostName);
    }

    private static string Query(Uri uri, TimeSpan timeout)
    {
        var existing = uri.Query.TrimStart('?');
        var param = $"timeout={(int)timeout.TotalSeconds}s";
        return existing.Length == 0 ? param : $"{existing}&{param}";
    }

    internal static WebhookVerdict Parse(byte[] body, string uid, bool mutating)
    {
        JsonObject review;
        try
        {
            review = JsonNode.Parse(body) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new WebhookCallException($"received invalid webhook response: {e.Message}");
        }
        if (Webhook.Str(review, "apiVersion") != "admission.k8s.io/v1" || Webhook.Str(review, "kind") != "AdmissionReview")
            throw new WebhookCallException($"received invalid webhook response: expected admission.k8s.io/v1 AdmissionReview, got {Webhook.Str(review, "apiVersion")} {Webhook.Str(review, "kind")}");
        if (review["response"] is not JsonObject response)
            throw new WebhookCallException("received invalid webhook response: webhook response was absent");
        if (Webhook.Str(response, "uid") != uid)
            throw new WebhookCallException($"received invalid webhook response: expected response.uid=\"{uid}\", got \"{Webhook.Str(response, "uid")}\"");
        var allowed = response["allowed"] is JsonValue a && a.TryGetValue<bool>(out var b) && b;
        byte[]? patch = null;
        if (Webhook.Str(response, "patch") is { Length: > 0 } encoded)
        {
            if (!mutating) throw new WebhookCallException("received invalid webhook response: validating webhook may not return response.patch");
            if (Webhook.Str(response, "patchType") != "JSONPatch")
                throw new WebhookCallException($"received invalid webhook response: webhook returned response.patch but not response.patchType JSONPatch (got \"{Webhook.Str(response, "patchType")}\")");
            try
            {
                patch = Convert.FromBase64String(encoded);
            }
            catch (FormatException)
            {
                throw new WebhookCallException("received invalid webhook response: response.patch is not base64");
            }
        }
        return new WebhookVerdict(allowed, response["status"] as JsonObject, patch, Webhook.Strings(response, "warnings"));
    }

    private static HttpClient NewClient(string caPem, string host)
    {
        X509Certificate2Collection? roots = null;
        if (caPem.Length > 0)
        {
            roots = [];
            try
            {
                roots.ImportFromPem(caPem);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // An unreadable bundle trusts nothing: every call fails TLS verification.
            }
        }
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, errors) => Trusted(presented as X509Certificate2, host, roots, errors),
            },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>With a caBundle only that bundle is trusted (never the system's roots); the certificate must name the host.</summary>
    private static bool Trusted(X509Certificate2? presented, string host, X509Certificate2Collection? roots, SslPolicyErrors errors)
    {
        if (presented is null) return false;
        if (!presented.MatchesHostname(host, allowWildcards: true, allowCommonName: false)) return false;
        if (roots is null) return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        if (roots.Count == 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(presented);
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values) c.Dispose();
        _clients.Clear();
    }
}
