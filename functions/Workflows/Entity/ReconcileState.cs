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

    /// <summary>Polls in a row that found nothing to do (the reconcile's own backoff for polling).</summary>
    public int QuietPolls { get; set; }

    /// <summary>The last successful reconcile's one-line account.</summary>
    public string? LastSummary { get; set; }

    /// <summary>What the reconciles said, newest last, one entry per change of account (a reconcile that says what the
    /// previous one said adds nothing), at most <see cref="TimelineLength"/> entries so the state stays small.</summary>
    public List<TimelineEntry> Timeline { get; set; } = [];

    public const int TimelineLength = 32;

    /// <summary>Adds <paramref name="note"/> unless it repeats the newest entry; drops the oldest beyond the bound.</summary>
    public void Note(DateTimeOffset at, string? note, bool failed)
    {
        if (string.IsNullOrEmpty(note)) return;
        if (Timeline.Count > 0 && Timeline[^1].Note == note && Timeline[^1].Failed == failed) return;
        Timeline.Add(new TimelineEntry(at, note, failed));
        if (Timeline.Count > TimelineLength) Timeline.RemoveRange(0, Timeline.Count - TimelineLength);
    }

    public DateTimeOffset? LastRunAt { get; set; }

    /// <summary>The W3C trace context of the last reconcile, so a scheduled wake's reconcile (a new trace) links to the
    /// one that scheduled it.</summary>
    public string? TraceParent { get; set; }
}

/// <summary>One entry of an object's reconcile timeline.</summary>
public sealed record TimelineEntry(DateTimeOffset At, string Note, bool Failed);
