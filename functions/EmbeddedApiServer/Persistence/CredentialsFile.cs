using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Auth;

namespace ServerlessCapi.EmbeddedApiServer.Persistence;

/// <summary>Keeps the token and serving certificate beside the data file, so kubeconfigs handed out before a
/// restart keep working after it. The file holds credentials and is readable by its owner only.</summary>
public static class CredentialsFile
{
    public static string PathFor(string dataFile) => dataFile + ".credentials";

    public static (string Token, ServingCertificate? Certificate)? Load(string path, bool useTls)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var doc = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            var token = doc?["token"]?.GetValue<string>();
            if (string.IsNullOrEmpty(token)) return null;
            ServingCertificate? cert = null;
            if (useTls)
            {
                if (doc!["leaf"]?.GetValue<string>() is not { } leaf || doc["ca"]?.GetValue<string>() is not { } ca) return null;
                cert = ServingCertificate.Import(Convert.FromBase64String(leaf), Convert.FromBase64String(ca));
            }
            return (token, cert);
        }
        catch (Exception e) when (e is JsonException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public static void Save(string path, string token, ServingCertificate? certificate)
    {
        var doc = new JsonObject { ["token"] = token };
        if (certificate is not null)
        {
            var (leaf, ca) = certificate.Export();
            doc["leaf"] = Convert.ToBase64String(leaf);
            doc["ca"] = Convert.ToBase64String(ca);
        }
        Kubeconfig.Write(path, doc.ToJsonString());
    }
}
