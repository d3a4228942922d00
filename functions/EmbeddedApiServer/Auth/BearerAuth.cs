using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ServerlessCapi.EmbeddedApiServer.Auth;

/// <summary>Bearer-token authentication. The server's token opens the management cluster; each workload cluster has
/// its own token, derived from the server's (so it survives restarts with it), that opens that cluster only.</summary>
/// <param name="serverTokenOpensWorkloadClusters">Whether the server's token also opens every workload cluster (for
/// a caller that plays the infrastructure provider of all of them and holds no per-cluster tokens).</param>
public sealed class BearerAuth(string token, bool serverTokenOpensWorkloadClusters)
{
    private readonly byte[] _server = Encoding.UTF8.GetBytes("Bearer " + token);

    /// <param name="cluster">The workload cluster the request is for, "" for the management cluster.</param>
    public bool IsAuthenticated(HttpRequest request, string cluster)
    {
        var header = Encoding.UTF8.GetBytes(request.Headers.Authorization.ToString());
        if (CryptographicOperations.FixedTimeEquals(header, _server))
            return cluster.Length == 0 || serverTokenOpensWorkloadClusters;
        if (cluster.Length == 0) return false;
        return CryptographicOperations.FixedTimeEquals(header, Encoding.UTF8.GetBytes("Bearer " + ClusterToken(token, cluster)));
    }

    /// <summary>The token of one workload cluster: an HMAC of its name keyed by the server's token, so no cluster's
    /// token tells anything about another's or about the server's.</summary>
    public static string ClusterToken(string serverToken, string cluster)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(serverToken), Encoding.UTF8.GetBytes("workload-cluster:" + cluster));
        return UrlSafe(mac);
    }

    /// <summary>A fresh random token (URL-safe, 32 bytes of entropy).</summary>
    public static string NewToken() => UrlSafe(RandomNumberGenerator.GetBytes(32));

    private static string UrlSafe(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
