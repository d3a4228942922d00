namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>What a reconcile asks of the durable side next. An exception is not an outcome: it means "retry
/// with backoff", forever.</summary>
public abstract record ReconcileOutcome
{
    private ReconcileOutcome() { }

    /// <summary>Nothing to do until the object changes again.</summary>
    public static ReconcileOutcome Done { get; } = new DoneOutcome();

    /// <summary>Reconcile again after <paramref name="delay"/> (zero: as soon as possible), unless a change comes first.</summary>
    public static ReconcileOutcome RequeueAfter(TimeSpan delay) => new RequeueOutcome(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);

    /// <summary>Stop reconciling until the next change signal; <paramref name="reason"/> is kept in the durable state.</summary>
    public static ReconcileOutcome Terminal(string reason) => new TerminalOutcome(reason);

    public sealed record DoneOutcome : ReconcileOutcome;

    public sealed record RequeueOutcome(TimeSpan Delay) : ReconcileOutcome;

    public sealed record TerminalOutcome(string Reason) : ReconcileOutcome;
}
