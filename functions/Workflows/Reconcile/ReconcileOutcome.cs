namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>What a reconcile asks of the durable side next. An exception is not an outcome: it means "retry
/// with backoff", forever.</summary>
public abstract record ReconcileOutcome
{
    private ReconcileOutcome() { }

    /// <summary>Nothing to do until the object changes again.</summary>
    public static ReconcileOutcome Done { get; } = new DoneOutcome();

    /// <summary>The object is gone: its durable state is deleted.</summary>
    public static ReconcileOutcome Gone { get; } = new GoneOutcome();

    /// <summary>Reconcile again after <paramref name="delay"/> (zero: as soon as possible), unless a change comes first.</summary>
    public static ReconcileOutcome RequeueAfter(TimeSpan delay) => new RequeueOutcome(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    /// <summary>Stop reconciling until the next change signal; <paramref name="reason"/> is kept in the durable state.</summary>
    public static ReconcileOutcome Terminal(string reason) => new TerminalOutcome(reason);

    /// <summary>Other objects to tell that they should look again; signalled in the same commit as this outcome, so
    /// a crash can neither lose them nor send them for a reconcile that did not commit.</summary>
    public IReadOnlyList<ObjectKey> Wakes { get; init; } = [];

    /// <summary>Polls in a row that found nothing to do, kept in the durable state for the next request.</summary>
    public int QuietPolls { get; init; }

    /// <summary>A one-line account of the reconcile, kept in the durable state (for people reading the task hub).</summary>
    public string? Summary { get; init; }

    public sealed record DoneOutcome : ReconcileOutcome;

    public sealed record GoneOutcome : ReconcileOutcome;

    public sealed record RequeueOutcome(TimeSpan Delay) : ReconcileOutcome;

    public sealed record TerminalOutcome(string Reason) : ReconcileOutcome;
}
