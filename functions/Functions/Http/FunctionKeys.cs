using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Http;

/// <summary>Function-key authorization as Azure Functions does it: a key in <c>x-functions-key</c> or <c>?code=</c>.</summary>
/// <remarks>
/// Keys come from configuration: <c>FunctionKeys:Master</c> or <c>Functions:AdminKey</c> (admin; opens every function),
/// <c>FunctionKeys:Default</c> (opens every function-level function) and <c>FunctionKeys:Functions:&lt;name&gt;</c>
/// (opens that function). With no key configured, only anonymous functions answer.
/// </remarks>
public sealed class FunctionKeys(IConfiguration configuration)
{
    public const string Header = "x-functions-key";
    public const string Query = "code";

    public bool Authorize(HttpRequest request, HttpFunctionDescriptor function)
    {
        if (function.AuthLevel == AuthorizationLevel.Anonymous) return true;
        var presented = request.Headers[Header].FirstOrDefault() ?? request.Query[Query].FirstOrDefault();
        if (string.IsNullOrEmpty(presented)) return false;
        if (Matches(presented, configuration["FunctionKeys:Master"]) || Matches(presented, configuration[MasterAlias])) return true;
        if (function.AuthLevel == AuthorizationLevel.Admin) return false;
        return Matches(presented, configuration["FunctionKeys:Default"])
            || Matches(presented, configuration[$"FunctionKeys:Functions:{function.Name}"]);
    }

    public bool AnyConfigured =>
        !string.IsNullOrEmpty(configuration["FunctionKeys:Master"]) || !string.IsNullOrEmpty(configuration["FunctionKeys:Default"])
        || !string.IsNullOrEmpty(configuration[MasterAlias]);

    /// <summary>The master key as the local deployment passes it (<c>Functions__AdminKey</c>).</summary>
    public const string MasterAlias = "Functions:AdminKey";

    private static bool Matches(string presented, string? expected) =>
        !string.IsNullOrEmpty(expected) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
}
