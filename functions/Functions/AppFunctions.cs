using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Diagnostics;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions;

/// <summary>The product's function list: the one registration behind <c>scapi run</c>, the custom-handler
/// endpoints and <c>infra/functions/*/function.json</c>.</summary>
/// <remarks>After changing it, regenerate the function.json files:
/// <c>SCAPI_UPDATE_FUNCTION_JSON=1 dotnet test tests/Functions.Tests --filter FunctionJsonDrift</c>.</remarks>
public static class AppFunctions
{
    public static void Register(FunctionsBuilder f)
    {
        f.AddRuntimeDiagnostics();
    }

    /// <summary>The services the registered functions need.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        _ = services;
        _ = configuration;
    }
}
