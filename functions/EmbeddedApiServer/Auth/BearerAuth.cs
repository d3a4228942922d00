using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ServerlessCapi.EmbeddedApiServer.Auth;

/// <summary>Bearer-token authentication: every request but health checks must carry the server's token.</summary>
public sealed class BearerAuth(string token)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes("Bearer " + token);

    public bool IsAuthenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), _expected);
    }

    /// <summary>A fresh random token (URL-safe, 32 bytes of entropy).</summary>
    public static string NewToken() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
