using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Tests.Registration;

public class ConfigurationTests
{
    [Fact]
    public async Task HostJson_and_local_settings_configure_the_app_like_Azure_Functions()
    {
        var folder = Directory.CreateTempSubdirectory("scapi-config").FullName;
        var hostJson = Path.Combine(folder, "host.json");
        var localSettings = Path.Combine(folder, "local.settings.json");
        await File.WriteAllTextAsync(hostJson, """
            {
              "version": "2.0",
              "logging": { "logLevel": { "default": "Warning" } },
              "extensions": { "queues": { "batchSize": 7, "newBatchThreshold": 3, "maxPollingInterval": "00:00:02",
                                          "visibilityTimeout": "00:00:30", "maxDequeueCount": 4, "messageEncoding": "none" } }
            }
            """);
        await File.WriteAllTextAsync(localSettings, """
            { "IsEncrypted": false, "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Schedule": "*/5 * * * * *",
                                                "FunctionApp__TimersContainer": "my-timers" } }
            """);

        await using var app = FunctionApp.Build(
            new FunctionAppSettings
            {
                HostJsonPath = hostJson,
                LocalSettingsPath = localSettings,
                ReadEnvironment = false,
                Overrides = new Dictionary<string, string?> { ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "9" },
            },
            f => f.Timer<Tick>("tick", "%Schedule%"));

        var queues = app.Services.GetRequiredService<IOptions<QueuesOptions>>().Value;
        queues.BatchSize.ShouldBe(7);
        queues.EffectiveNewBatchThreshold.ShouldBe(3);
        queues.MaxPollingInterval.ShouldBe(TimeSpan.FromSeconds(2));
        queues.VisibilityTimeout.ShouldBe(TimeSpan.FromSeconds(30));
        queues.MaxDequeueCount.ShouldBe(9);
        queues.Base64.ShouldBeFalse();
        app.Services.GetRequiredService<IOptions<FunctionAppOptions>>().Value.TimersContainer.ShouldBe("my-timers");
        app.Services.GetRequiredService<IConfiguration>()["AzureWebJobsStorage"].ShouldBe("UseDevelopmentStorage=true");
        app.Services.GetRequiredService<IConfiguration>()["Logging:LogLevel:default"].ShouldBe("Warning");
        app.Services.GetRequiredService<FunctionCatalog>().Timers.Single().Schedule.ShouldBe("*/5 * * * * *");
    }

    [Fact]
    public void A_missing_setting_reference_names_the_setting()
    {
        var config = new ConfigurationBuilder().Build();
        var error = Should.Throw<InvalidOperationException>(() =>
            new FunctionCatalog(new FunctionsBuilder().Queue<RecordString>("q", "%NoSuchQueue%").Functions, config));
        error.Message.ShouldContain("NoSuchQueue");
    }

    [Fact]
    public void The_repository_host_json_is_valid_for_the_runtime()
    {
        var config = new ConfigurationBuilder().AddHostJson(Path.Combine(Local.RepoPaths.Root, "host.json")).Build();
        var queues = config.GetSection(QueuesOptions.Section).Get<QueuesOptions>()!;
        Should.NotThrow(queues.Validate);
    }
}
