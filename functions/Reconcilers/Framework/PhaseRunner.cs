using Microsoft.Extensions.Logging;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Runs a reconciler's phases as CAPI's <c>doReconcile</c> does: every phase runs, errors are collected, the
/// shortest requeue of the phases that ran before any error wins, and the collected errors come back with the result
/// (the reconcile writes what it observed, then they make the host retry with backoff).</summary>
public sealed class PhaseRunner<TScope>(TScope scope, ILogger logger, string kind, string? ns, string name)
{
    private readonly List<Exception> _errors = [];

    public ReconcileResult Result { get; private set; } = ReconcileResult.Done();

    /// <summary>Whether a phase failed so far (a reconcile that failed must not claim to have observed the generation).</summary>
    public bool Failed => _errors.Count > 0;

    /// <summary>Runs <paramref name="phase"/>. With <paramref name="needsEarlierPhases"/> it is skipped once a phase failed:
    /// it acts on what an earlier phase read (a MachineSet that could not list its Machines must not create replicas).</summary>
    public async Task RunAsync(Func<TScope, CancellationToken, Task<ReconcileResult>> phase, string phaseName, CancellationToken ct,
        bool needsEarlierPhases = false)
    {
        if (needsEarlierPhases && Failed) return;
        try
        {
            var result = await phase(scope, ct);
            // After an error only errors count: the retry's backoff decides when to look again.
            if (!Failed) Result = Result.Merge(result);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            _errors.Add(e);
            logger.LogWarning("{Kind} {Namespace}/{Name}: phase {Phase} failed: {Error}", kind, ns, name, phaseName, e.Message);
        }
    }

    /// <summary>Adds another phase's result (a requeue computed outside the phases).</summary>
    public void Add(ReconcileResult result)
    {
        if (!Failed) Result = Result.Merge(result);
    }

    /// <summary>The result, carrying the collected errors.</summary>
    public ReconcileResult Finish(string? summary = null)
    {
        var result = summary is null ? Result : Result with { Summary = summary };
        return _errors.Count switch
        {
            0 => result,
            1 => result with { Error = _errors[0] },
            _ => result with { Error = new AggregateException(_errors) },
        };
    }
}
