using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Http;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Workflows.Management;

namespace ServerlessCapi.Functions.Hosting;

/// <summary>How to start the function app.</summary>
public sealed record FunctionAppSettings
{
    /// <summary>host.json; default: the one in the working directory, else beside the binaries; "" for none.</summary>
    public string? HostJsonPath { get; init; }

    /// <summary>local.settings.json; default: the one in the working directory, if any; "" for none.</summary>
    public string? LocalSettingsPath { get; init; }

    /// <summary>Settings used when no file, environment variable or override sets them.</summary>
    public IReadOnlyDictionary<string, string?> Defaults { get; init; } = new Dictionary<string, string?>();

    /// <summary>Settings that win over every file and environment variable (command-line options).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>Listen URLs; default <c>FunctionApp:Urls</c>, else <c>http://localhost:7071</c>.</summary>
    public IReadOnlyList<string>? Urls { get; init; }

    /// <summary>Whether environment variables are read (tests turn this off for isolation).</summary>
    public bool ReadEnvironment { get; init; } = true;
}

/// <summary>Builds the standalone function app: configuration, runtime services, queue and timer listeners, and HTTP
/// endpoints (on Azure the isolated-worker app in <c>functions/FunctionApp</c> runs the same functions).</summary>
public static class FunctionApp
{
    /// <param name="functions">The one registration that drives listeners, invocation endpoints and function.json.</param>
    /// <param name="services">The functions' own dependencies.</param>
    public static WebApplication Build(
        FunctionAppSettings settings, Action<FunctionsBuilder> functions, Action<IServiceCollection, IConfiguration>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Directory.GetCurrentDirectory() });
        builder.Configuration.Sources.Clear();
        // Quiet defaults: one line per request from ASP.NET Core is noise next to function logs.
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Logging:LogLevel:Azure"] = "Warning",
            // The Durable Task Framework logs every message it sends, fetches and deletes at Information: thousands of
            // lines a minute in a busy fleet, and the CPU to format them. Its warnings and errors still show.
            ["Logging:LogLevel:DurableTask"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings.Defaults);
        if (HostJson(settings) is { } hostJson) builder.Configuration.AddHostJson(hostJson);
        if (LocalSettings(settings) is { } localSettings) builder.Configuration.AddLocalSettings(localSettings);
        if (settings.ReadEnvironment) builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddInMemoryCollection(settings.Overrides);

        builder.Logging.ClearProviders();
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });

        builder.WebHost.UseUrls([.. ListenUrls(settings, builder.Configuration)]);
        if (HttpsCertificate(builder.Configuration) is { } certificate)
        {
            // https:// listen URLs serve this certificate (the admission webhooks need TLS: the API server only calls
            // them over HTTPS). The slim builder leaves HTTPS out unless asked.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate));
        }
        builder.Services.AddSingleton(settings);
        builder.Services.AddFunctions(functions);
        builder.Services.AddFunctionListeners();
        services?.Invoke(builder.Services, builder.Configuration);

        var app = builder.Build();
        // Created now so measurements made before the first scrape are kept.
        app.Services.GetRequiredService<PrometheusExporter>();
        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var routePrefix = app.Configuration[$"{FunctionAppConfiguration.HostSection}:extensions:http:routePrefix"] ?? "api";
        app.MapRuntimeEndpoints();
        app.MapHttpFunctions(catalog, routePrefix, checkKeys: true);
        // The task hub's management API (Durable Functions' paths and shapes), behind the master key.
        if (app.Services.GetService<Workflows.Hosting.DurableHost>() is { } durable
            && (app.Configuration["FunctionKeys:Master"] ?? app.Configuration[FunctionKeys.MasterAlias]) is { Length: > 0 } master)
            app.MapDurableTaskManagement(new Workflows.Management.TaskHubManagementClient(durable), master);
        if (!app.Services.GetRequiredService<FunctionKeys>().AnyConfigured && catalog.Http.Any(h => h.AuthLevel != AuthorizationLevel.Anonymous))
            app.Logger.LogWarning("No function keys are configured (FunctionKeys:Master / FunctionKeys:Default): only anonymous HTTP functions will answer");
        return app;
    }

    private static IEnumerable<string> ListenUrls(FunctionAppSettings settings, ConfigurationManager configuration)
    {
        if (settings.Urls is { Count: > 0 } urls) return urls;
        return (configuration["FunctionApp:Urls"] ?? "http://localhost:7071").Split(';', StringSplitOptions.RemoveEmptyEntries);
    }

    public const string HttpsCertificateSetting = "FunctionApp:HttpsCertificate";
    public const string HttpsCertificateKeySetting = "FunctionApp:HttpsCertificateKey";

    /// <summary>The serving certificate from PEM files: <c>FunctionApp:HttpsCertificate</c> (certificate, chain may follow)
    /// and <c>FunctionApp:HttpsCertificateKey</c> (its private key; omit when the first file holds both).</summary>
    private static X509Certificate2? HttpsCertificate(ConfigurationManager configuration)
    {
        if (configuration[HttpsCertificateSetting] is not { Length: > 0 } certificate)
            return null;
        using var pem = X509Certificate2.CreateFromPemFile(certificate, configuration[HttpsCertificateKeySetting] is { Length: > 0 } key ? key : null);
        // Through PKCS#12 so the key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    private static string? HostJson(FunctionAppSettings settings) =>
        settings.HostJsonPath is { } path ? NoneIfEmpty(path) : new[] { Path.Combine(Directory.GetCurrentDirectory(), "host.json"), Path.Combine(AppContext.BaseDirectory, "host.json") }
            .FirstOrDefault(File.Exists);

    private static string? LocalSettings(FunctionAppSettings settings) =>
        settings.LocalSettingsPath is { } path ? NoneIfEmpty(path)
            : new[] { Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json") }.FirstOrDefault(File.Exists);

    private static string? NoneIfEmpty(string path) => path.Length == 0 ? null : path;
}
