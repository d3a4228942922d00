using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Entity;

/// <summary>The durable state of one object's reconcile entity. Small and fixed-size: the entity's history is this
/// row, whatever the object's age.</summary>
public sealed class ReconcileState
{
    public ObjectKey? Key { get; set; }

    /// <summary>Reconciles run so far (one per operation batch that asked for one).</summary>
    public long Runs { get; set; }

    /// <summary>Consecutive failed reconciles; drives the backoff and resets on any outcome.</summary>
    public int Failures { get; set; }

    /// <summary>The sequence number the one live scheduled wake carries. Every run bumps it, so scheduled signals
    /// from earlier runs (superseded requeues, retries overtaken by a change) are recognised and ignored.</summary>
    public long WakeSequence { get; set; }

    /// <summary>When the live scheduled wake is due, or null when none is pending.</summary>
    public DateTimeOffset? WakeAt { get; set; }

    /// <summary>Set by a terminal outcome; the object is left alone until the next change signal.</summary>
    public string? TerminalReason { get; set; }

    public string? LastError { get; set; }

    public DateTimeOffset? LastRunAt { get; set; }
}
