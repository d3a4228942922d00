using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Worker;

/// <summary>Announces each reconcile in the marker file, then never finishes: the test kills the process mid-run.</summary>
internal sealed class HangingReconcile(string marker) : IObjectReconcile
{
    public async Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        await File.AppendAllTextAsync(marker, $"{key.DurableKey}\n", ct);
        await Task.Delay(Timeout.Infinite, ct);
        return ReconcileOutcome.Done;
    }
}

/// <summary>Asks for the same delayed requeue every time, so the process can be killed while a wake is pending.</summary>
internal sealed class RequeueReconcile(TimeSpan delay) : IObjectReconcile
{
    public Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct) =>
        Task.FromResult(ReconcileOutcome.RequeueAfter(delay) with { Summary = $"requeue after {delay.TotalSeconds:0} s" });
}
