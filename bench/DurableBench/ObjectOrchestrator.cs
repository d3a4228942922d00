using Microsoft.DurableTask;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.DurableBench;

/// <summary>The alternative measured against the entity: one eternal orchestration per object. Each episode runs the
/// reconcile as an activity, then waits for a change event or a durable timer and continues as new (bounded history).
/// Events are raised to the instance id without an execution id; a timer that lost the race still fires later and is
/// ignored because the next execution no longer waits on it.</summary>
internal sealed class ObjectOrchestrator : TaskOrchestrator<ObjectOrchestrator.Input, object?>
{
    public const string Name = "objectreconcile-orchestration";
    public const string ActivityName = "reconcile";
    public const string ChangedEvent = "Changed";

    public sealed record Input(ObjectKey Key, int Failures);

    public sealed record Result(string Kind, long DelayMs, string? Error);

    public override async Task<object?> RunAsync(TaskOrchestrationContext context, Input input)
    {
        var result = await context.CallActivityAsync<Result>(ActivityName, input.Key);
        var failures = result.Kind == "failed" ? input.Failures + 1 : 0;
        TimeSpan? wait = result.Kind switch
        {
            "requeue" => TimeSpan.FromMilliseconds(result.DelayMs),
            "failed" => RetryBackoff.Default.DelayFor(failures),
            _ => null,
        };
        var next = input with { Failures = failures };
        if (wait == TimeSpan.Zero)
        {
            context.ContinueAsNew(next, preserveUnprocessedEvents: true);
            return null;
        }
        using var cancel = new CancellationTokenSource();
        var changed = context.WaitForExternalEvent<object?>(ChangedEvent, cancel.Token);
        if (wait is { } delay)
        {
            await Task.WhenAny(changed, context.CreateTimer(delay, cancel.Token));
            // Synchronously: CancelAsync would run the callbacks off the orchestration's single thread.
#pragma warning disable CA1849
            cancel.Cancel();
#pragma warning restore CA1849
        }
        else
        {
            await changed;
        }
        context.ContinueAsNew(next, preserveUnprocessedEvents: true);
        return null;
    }
}

/// <summary>Runs the reconcile for the orchestration; failures become a result so the orchestration decides the backoff.</summary>
internal sealed class ReconcileActivity(IObjectReconcile reconcile) : TaskActivity<ObjectKey, ObjectOrchestrator.Result>
{
    public override async Task<ObjectOrchestrator.Result> RunAsync(TaskActivityContext context, ObjectKey input)
    {
        try
        {
            return await reconcile.ReconcileAsync(input, CancellationToken.None) switch
            {
                ReconcileOutcome.RequeueOutcome r => new("requeue", (long)r.Delay.TotalMilliseconds, null),
                ReconcileOutcome.TerminalOutcome t => new("terminal", 0, t.Reason),
                _ => new("done", 0, null),
            };
        }
#pragma warning disable CA1031 // A failed reconcile is retried by the orchestration, with backoff.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new("failed", 0, ex.Message);
        }
    }
}
