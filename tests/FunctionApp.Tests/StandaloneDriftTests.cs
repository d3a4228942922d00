using ServerlessCapi.Functions;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Workflows.Entity;

namespace ServerlessCapi.FunctionApp.Tests;

/// <summary>The two hosts serve one function list: the isolated-worker app's metadata against the standalone host's
/// registration (<see cref="AppFunctions.Register"/>), as declared (settings unresolved, as the Functions host sees them).</summary>
public sealed class StandaloneDriftTests
{
    private static IReadOnlyList<FunctionDescriptor> Standalone()
    {
        var builder = new FunctionsBuilder();
        AppFunctions.Register(builder);
        return builder.Functions;
    }

    [Fact]
    public void Both_hosts_have_the_same_function_names()
    {
        var app = AppOutput.Functions.Keys.Where(n => n != ObjectReconcileEntity.Name).Order(StringComparer.Ordinal);
        app.ShouldBe(Standalone().Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_standalone_function_has_the_same_trigger_in_the_app()
    {
        foreach (var function in Standalone())
        {
            var app = AppOutput.Functions[function.Name];
            switch (function)
            {
                case QueueFunctionDescriptor q:
                    app.TriggerType.ShouldBe("queueTrigger", function.Name);
                    app.Text("queueName").ShouldBe(q.QueueName, function.Name);
                    app.Text("connection").ShouldBe(StorageAccount.ConnectionSetting, function.Name);
                    break;
                case TimerFunctionDescriptor t:
                    app.TriggerType.ShouldBe("timerTrigger", function.Name);
                    app.Text("schedule").ShouldBe(t.Schedule, function.Name);
                    (app.Trigger["runOnStartup"]?.GetValue<bool>() ?? false).ShouldBe(t.RunOnStartup, function.Name);
                    break;
                case HttpFunctionDescriptor h:
                    app.TriggerType.ShouldBe("httpTrigger", function.Name);
                    app.Text("route").ShouldBe(h.Route, function.Name);
                    app.Methods.ShouldBe(h.Methods.Order(StringComparer.Ordinal).ToList(), function.Name);
                    app.AuthLevel.ShouldBe(h.AuthLevel.ToString().ToLowerInvariant(), function.Name);
                    break;
                default:
                    throw new InvalidOperationException($"No comparison for {function.GetType().Name} ({function.Name}).");
            }
        }
    }
}
