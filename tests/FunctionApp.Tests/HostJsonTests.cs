using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.FunctionApp.Tests;

/// <summary>The app's host.json carries the standalone host's measured settings: the durable task hub's and the queue
/// trigger's.</summary>
public sealed class HostJsonTests
{
    private static readonly DurableHostOptions Standalone = new() { ConnectionString = "" };

    private static JsonObject Durable => AppOutput.HostJson["extensions"]!["durableTask"]!.AsObject();

    private static TimeSpan Duration(JsonNode? value) => TimeSpan.Parse((string)value!, CultureInfo.InvariantCulture);

    [Fact]
    public void The_task_hub_matches_the_standalone_durable_host()
    {
        ((string)Durable["hubName"]!).ShouldBe(Standalone.TaskHubName);
        var storage = Durable["storageProvider"]!;
        ((int)storage["partitionCount"]!).ShouldBe(Standalone.PartitionCount);
        Duration(storage["controlQueueVisibilityTimeout"]).ShouldBe(Standalone.ControlQueueVisibilityTimeout);
        Duration(storage["workItemQueueVisibilityTimeout"]).ShouldBe(Standalone.WorkItemQueueVisibilityTimeout);
        Duration(storage["maxQueuePollingInterval"]).ShouldBe(Standalone.MaxQueuePollingInterval);
        ((bool)storage["useTablePartitionManagement"]!).ShouldBe(Standalone.UseTablePartitionManagement);
    }

    [Fact]
    public void Queue_trigger_settings_match_the_standalone_hosts()
    {
        var app = Queues(AppOutput.HostJsonPath);
        var standalone = Queues(Path.Combine(AppContext.BaseDirectory, "Standalone", "host.json"));
        app.BatchSize.ShouldBe(standalone.BatchSize);
        app.EffectiveNewBatchThreshold.ShouldBe(standalone.EffectiveNewBatchThreshold);
        app.MaxDequeueCount.ShouldBe(standalone.MaxDequeueCount);
        app.VisibilityTimeout.ShouldBe(standalone.VisibilityTimeout);
        app.MaxPollingInterval.ShouldBe(standalone.MaxPollingInterval);
        app.MessageEncoding.ShouldBe(standalone.MessageEncoding);
        // The values themselves, so a change to both files at once is still seen.
        (app.BatchSize, app.MaxDequeueCount, app.VisibilityTimeout).ShouldBe((16, 5, TimeSpan.FromSeconds(30)));
        app.Validate();
    }

    [Fact]
    public void Http_functions_keep_the_standalone_route_prefix()
    {
        ((string)AppOutput.HostJson["extensions"]!["http"]!["routePrefix"]!).ShouldBe("api");
    }

    [Fact]
    public void Durable_event_logs_stay_quiet()
    {
        var levels = AppOutput.HostJson["logging"]!["logLevel"]!.AsObject();
        foreach (var category in new[] { "DurableTask.AzureStorage", "DurableTask.Core", "Host.Triggers.DurableTask" })
            ((int)Enum.Parse<LogLevel>((string)levels[category]!)).ShouldBeGreaterThanOrEqualTo((int)LogLevel.Warning, category);
        var tracing = Durable["tracing"]!;
        ((bool)tracing["allowVerboseLinuxTelemetry"]!).ShouldBeFalse();
        ((bool)tracing["traceReplayEvents"]!).ShouldBeFalse();
        ((bool)tracing["traceInputsAndOutputs"]!).ShouldBeFalse();
    }

    private static QueuesOptions Queues(string hostJson)
    {
        var configuration = new ConfigurationBuilder().AddHostJson(hostJson).Build();
        return configuration.GetSection(QueuesOptions.Section).Get<QueuesOptions>()
            ?? throw new InvalidOperationException($"{hostJson} has no extensions.queues.");
    }
}
