using System.Diagnostics;
using System.Text.Json;
using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Reconcile;
using CoreTaskEntity = DurableTask.Core.Entities.TaskEntity;

namespace ServerlessCapi.Workflows.Hosting;

/// <summary>Runs an SDK entity (<see cref="ITaskEntity"/>) on a plain DTFx worker. DTFx asks its object manager for
/// an entity by name only, while the SDK's shim needs the entity's id: this wrapper reads the id from each batch
/// request and builds a fresh shim (and a fresh entity object) per batch.</summary>
internal sealed class EntityShim(DurableTaskShimFactory factory, string name, Func<ITaskEntity> create) : CoreTaskEntity
{
    public override async Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest operations)
    {
        var id = EntityId.FromString(operations.InstanceId!);
        var shim = factory.CreateEntity(new TaskName(name), create(), id);
        // The batch's one reconcile links every change signal it serves; set here, it flows into this batch only.
        SignalTracing.BatchSignals.Value = ChangeSignalContexts(operations);
        return await shim.ExecuteOperationBatchAsync(operations);
    }

    private static List<ActivityContext> ChangeSignalContexts(EntityBatchRequest batch)
    {
        var contexts = new List<ActivityContext>();
        foreach (var operation in batch.Operations ?? [])
        {
            if (!string.Equals(operation.Operation, nameof(ObjectReconcileEntity.Changed), StringComparison.OrdinalIgnoreCase)
                || operation.Input is not { Length: > 0 } input)
            {
                continue;
            }
            try
            {
                if (TraceParent.TryParse(JsonSerializer.Deserialize<ChangedSignal>(input)?.TraceParent, out var context)) contexts.Add(context);
            }
            catch (JsonException)
            {
                // Not a change signal this build knows: the entity reports it; tracing just has nothing to link.
            }
        }
        return contexts;
    }
}

/// <summary>Hands DTFx one creator per registered name (version empty, as clients schedule it).</summary>
internal sealed class FuncCreator<T> : global::DurableTask.Core.ObjectCreator<T>
{
    private readonly Func<T> create;

    public FuncCreator(string name, Func<T> create)
    {
        this.create = create;
        Name = name;
        Version = string.Empty;
    }

    public override T Create() => create();
}
