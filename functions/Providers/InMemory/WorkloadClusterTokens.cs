using System.Security.Cryptography;
using System.Text;

namespace ServerlessCapi.Providers.InMemory;

/// <summary>The bearer token of one simulated workload cluster, derived from the token of the server that hosts them
/// all exactly as that server derives it (an HMAC of the cluster key keyed by the server's token). A workload kubeconfig
/// carries this token, which opens its own cluster and no other; the server's token opens none of them.</summary>
public static class WorkloadClusterTokens
{
    /// <param name="serverToken">The hosting server's token (<c>InMemoryCloud:WorkloadToken</c>).</param>
    /// <param name="clusterKey">The workload cluster's key, <c>&lt;namespace&gt;--&lt;name&gt;</c>.</param>
    public static string For(string serverToken, string clusterKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverToken);
        ArgumentException.ThrowIfNullOrEmpty(clusterKey);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(serverToken), Encoding.UTF8.GetBytes("workload-cluster:" + clusterKey));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
