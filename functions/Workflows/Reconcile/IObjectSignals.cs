namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>Tells objects' durable instances to look again: what the dispatcher, the timers and the admin API need of
/// the task hub. Signals are level-triggered: duplicates coalesce, so no signal needs an id.</summary>
public interface IObjectSignals
{
    Task SignalChangedAsync(IReadOnlyCollection<ObjectKey> keys, CancellationToken ct);
}
