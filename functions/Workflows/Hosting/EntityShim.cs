using DurableTask.Core.Entities;
using DurableTask.Core.Entities.OperationFormat;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker.Shims;
using CoreTaskEntity = DurableTask.Core.Entities.TaskEntity;

namespace ServerlessCapi.Workflows.Hosting;

/// <summary>Runs an SDK entity (<see cref="ITaskEntity"/>) on a plain DTFx worker. DTFx asks its object manager for
/// an entity by name only, while the SDK's shim needs the entity's id: this wrapper reads the id from each batch
/// request and builds a fresh shim (and a fresh entity object) per batch.</summary>
internal sealed class EntityShim(DurableTaskShimFactory factory, string name, Func<ITaskEntity> create) : CoreTaskEntity
{
    public override Task<EntityBatchResult> ExecuteOperationBatchAsync(EntityBatchRequest operations)
    {
        var id = EntityId.FromString(operations.InstanceId!);
        var shim = factory.CreateEntity(new TaskName(name), create(), id);
        return shim.ExecuteOperationBatchAsync(operations);
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
