using Azure;
using Azure.Data.Tables;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Worker;

/// <summary>A stand-in for a reconciler driving infrastructure: each run reads how far the object got from storage (not
/// from durable state, like a real reconcile reads the cloud), does some work, then creates the next step's row under a
/// deterministic name. The create is conditional, so the effect is idempotent and fenced by its name: a run repeated
/// after a crash, or one racing another, cannot apply a step twice.</summary>
/// <remarks>Rows: partition = the object's durable key; <c>step-N</c> is step N's effect; <c>run-*</c> is a log of
/// every run (which worker, which step, whether the create was fenced) for the test's account of what happened.</remarks>
internal sealed class StepReconcile(TableClient effects, string worker, int steps, TimeSpan work) : IObjectReconcile
{
    public const string StepPrefix = "step-";
    public const string RunPrefix = "run-";

    public async Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var reached = 0;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {key.DurableKey} and RowKey ge {StepPrefix} and RowKey lt {"step."}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in effects.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: ct)) names.Add(row.RowKey);
        while (names.Contains($"{StepPrefix}{reached + 1}")) reached++;
        if (reached >= steps) return ReconcileOutcome.Done with { Summary = $"at step {reached}" };

        // The step's work takes a while, so a kill can land in the middle of it.
        if (work > TimeSpan.Zero) await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next((int)work.TotalMilliseconds)), ct);
        var next = reached + 1;
        var fenced = false;
        try
        {
            await effects.AddEntityAsync(new TableEntity(key.DurableKey, $"{StepPrefix}{next}") { ["Worker"] = worker }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            fenced = true;
        }
        await effects.AddEntityAsync(new TableEntity(key.DurableKey, $"{RunPrefix}{Guid.NewGuid():N}")
        {
            ["Worker"] = worker,
            ["Step"] = next,
            ["Fenced"] = fenced,
        }, ct);
        return (next < steps ? ReconcileOutcome.RequeueAfter(TimeSpan.Zero) : ReconcileOutcome.Done) with { Summary = $"at step {next}" };
    }
}
