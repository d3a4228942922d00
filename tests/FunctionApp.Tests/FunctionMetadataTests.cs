using ServerlessCapi.Admission;
using ServerlessCapi.Functions;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Workflows.Entity;

namespace ServerlessCapi.FunctionApp.Tests;

/// <summary>What the Functions host will load: every function in the generated functions.metadata with its trigger.</summary>
public sealed class FunctionMetadataTests
{
    [Fact]
    public void Dispatch_is_a_queue_trigger_on_capi_events_through_the_apps_storage_setting()
    {
        var dispatch = AppOutput.Functions["dispatch"];
        dispatch.TriggerType.ShouldBe("queueTrigger");
        dispatch.Text("queueName").ShouldBe("capi-events");
        dispatch.Text("connection").ShouldBe(StorageAccount.ConnectionSetting);
    }

    [Theory]
    [InlineData("relay", "%RelaySchedule%")]
    [InlineData("resync", "%ResyncSchedule%")]
    [InlineData("probe", "%ProbeSchedule%")]
    [InlineData("purge", "%PurgeSchedule%")]
    public void Timers_read_their_schedule_from_the_same_settings(string name, string schedule)
    {
        var timer = AppOutput.Functions[name];
        timer.TriggerType.ShouldBe("timerTrigger");
        timer.Text("schedule").ShouldBe(schedule);
        AppFunctions.DefaultSettings.ShouldContainKey(schedule.Trim('%'));
    }

    [Theory]
    [InlineData("admin-clusters", "GET", "admin/clusters", "function")]
    [InlineData("admin-cluster", "GET", "admin/clusters/{namespace}/{name}", "function")]
    [InlineData("admin-cluster-pause", "POST", "admin/clusters/{namespace}/{name}/pause", "function")]
    [InlineData("admin-cluster-resume", "POST", "admin/clusters/{namespace}/{name}/resume", "function")]
    [InlineData("admin-reconcile", "POST", "admin/reconcile/{kind}/{namespace}/{name}", "function")]
    [InlineData("functions", "GET", "admin/functions", "admin")]
    [InlineData("healthz", "GET", "healthz", "anonymous")]
    [InlineData("readyz", "GET", "readyz", "anonymous")]
    [InlineData("metrics", "GET", "metrics", "function")]
    [InlineData("dashboard", "GET", "dashboard", "function")]
    [InlineData("dashboard-data", "GET", "dashboard/data", "function")]
    public void Admin_and_runtime_endpoints_keep_their_routes_methods_and_key_levels(string name, string method, string route, string authLevel)
    {
        var http = AppOutput.Functions[name];
        http.TriggerType.ShouldBe("httpTrigger");
        http.Methods.ShouldBe([method]);
        http.Text("route").ShouldBe(route);
        http.AuthLevel.ShouldBe(authLevel);
    }

    [Fact]
    public void Every_admission_webhook_is_an_anonymous_post_at_its_capi_path()
    {
        AdmissionWebhooks.Endpoints.Count.ShouldBe(31);
        foreach (var endpoint in AdmissionWebhooks.Endpoints)
        {
            var path = endpoint.Path.TrimStart('/');
            AppOutput.Functions.ShouldContainKey(path);
            var webhook = AppOutput.Functions[path];
            webhook.TriggerType.ShouldBe("httpTrigger");
            webhook.Methods.ShouldBe(["POST"]);
            webhook.Text("route").ShouldBe(path);
            webhook.AuthLevel.ShouldBe("anonymous");
        }
    }

    [Fact]
    public void The_per_object_entity_has_an_entity_trigger_under_its_entity_name()
    {
        ObjectReconcileEntity.Name.ShouldBe("objectreconcile");
        AppOutput.Functions.ShouldContainKey(ObjectReconcileEntity.Name);
        AppOutput.Functions[ObjectReconcileEntity.Name].TriggerType.ShouldBe("entityTrigger");
    }

    [Fact]
    public void The_app_has_exactly_these_functions()
    {
        var expected = new[] { "dispatch", "relay", "resync", "probe", "purge", "admin-clusters", "admin-cluster", "admin-cluster-pause",
                "admin-cluster-resume", "admin-reconcile", "functions", "healthz", "readyz", "metrics", "dashboard", "dashboard-data", ObjectReconcileEntity.Name }
            .Concat(AdmissionWebhooks.Endpoints.Select(e => e.Path.TrimStart('/')));
        AppOutput.Functions.Keys.Order(StringComparer.Ordinal).ShouldBe(expected.Order(StringComparer.Ordinal));
    }
}
