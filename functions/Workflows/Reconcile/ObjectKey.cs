namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>Identifies one reconciled object. The durable id comes from kind and uid only, so a deleted and
/// recreated object (new uid) never inherits the old one's backoff, requeue or terminal state.</summary>
public sealed record ObjectKey(string Kind, string Namespace, string Name, string Uid)
{
    /// <summary>The entity key: deterministic from kind and uid, and free of the characters storage keys reject.</summary>
    public string DurableKey => $"{Kind}.{Uid}";
}
