using Microsoft.Azure.Functions.Worker;
using ServerlessCapi.Workflows.Entity;

namespace ServerlessCapi.FunctionApp.Triggers;

/// <summary>The per-object durable entity (<c>@objectreconcile@{kind}.{uid}</c>) on the Functions durable extension:
/// the same class and task hub format the standalone <c>DurableHost</c> runs.</summary>
public static class EntityFunctions
{
    /// <remarks>The entity's IObjectReconcile, RetryBackoff and TimeProvider come from the container; its
    /// CancellationToken cannot (a token is not a service), so the invocation's token is passed in: it is cancelled
    /// when the host stops, and the entity turns that into a retry rather than losing the signal.</remarks>
    [Function(ObjectReconcileEntity.Name)]
    public static Task ObjectReconcile([EntityTrigger] TaskEntityDispatcher dispatcher, FunctionContext context) =>
        dispatcher.DispatchAsync<ObjectReconcileEntity>(context.CancellationToken);
}
