namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>The input of an entity's <c>Changed</c> operation: the object's key and the W3C <c>traceparent</c> of the
/// span that sent the signal, so the reconcile it causes continues that trace.</summary>
/// <remarks>The key's members sit at the top level, as the key alone was sent before: a signal queued by an older
/// build still reads (without a trace context).</remarks>
public sealed record ChangedSignal(string Kind, string Namespace, string Name, string Uid, string? TraceParent = null)
{
    public ObjectKey Key => new(Kind, Namespace, Name, Uid);

    public static ChangedSignal For(ObjectKey key, string? traceParent) => new(key.Kind, key.Namespace, key.Name, key.Uid, traceParent);
}
