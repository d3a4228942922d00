using System.Collections.Concurrent;
using System.Text.Json;

namespace ServerlessCapi.Durable.Engine;

/// <summary>What one step sees.</summary>
internal sealed record StepInput(string InstanceId, string? StateJson, string? Input, DateTimeOffset Now, int FailedAttempts, WorkflowEvent Event);

/// <summary>A message a step asked to send; it gets its deterministic id when the step commits.</summary>
internal sealed record PendingSend(ControlMessageKind Kind, string InstanceId, string? Name, string? Payload, string? Workflow, string? Input);

/// <summary>What one step produced, already serialized.</summary>
internal sealed record StepOutput(
    string StateJson, StepOutcome Outcome, DateTimeOffset? Until, string? CustomStatus, string? Reason, IReadOnlyList<PendingSend> Sends);

/// <summary>Calls a typed <see cref="Workflow{TState}"/> from the untyped engine.</summary>
internal abstract class WorkflowInvoker
{
    private static readonly ConcurrentDictionary<Type, WorkflowInvoker> Cache = new();

    public static WorkflowInvoker For(Type stateType) =>
        Cache.GetOrAdd(stateType, t => (WorkflowInvoker)Activator.CreateInstance(typeof(WorkflowInvoker<>).MakeGenericType(t))!);

    public abstract Task<StepOutput> RunAsync(IWorkflow workflow, StepInput input, JsonSerializerOptions json, CancellationToken ct);
}

internal sealed class WorkflowInvoker<TState> : WorkflowInvoker where TState : class, new()
{
    public override async Task<StepOutput> RunAsync(IWorkflow workflow, StepInput input, JsonSerializerOptions json, CancellationToken ct)
    {
        // State is rebuilt from JSON for every step: a step that mutated it and then threw leaves nothing behind,
        // and a step can never depend on something that would not survive a restart.
        var state = input.StateJson is null ? new TState() : JsonSerializer.Deserialize<TState>(input.StateJson, json) ?? new TState();
        var context = new EngineContext<TState>(input, state);
        var result = await ((Workflow<TState>)workflow).RunAsync(context, input.Event, ct)
            ?? throw new InvalidOperationException($"Workflow {workflow.Name} returned no step result.");
        var until = result.Outcome == StepOutcome.Continue ? result.Wait?.Until : null;
        return new StepOutput(
            JsonSerializer.Serialize(result.State ?? state, json), result.Outcome, until, result.CustomStatus, result.Reason, context.Sends);
    }

    private sealed class EngineContext<T>(StepInput input, T state) : WorkflowContext<T> where T : class, new()
    {
        public List<PendingSend> Sends { get; } = [];
        public override string InstanceId => input.InstanceId;
        public override T State => state;
        public override string? Input => input.Input;
        public override DateTimeOffset Now => input.Now;
        public override int FailedAttempts => input.FailedAttempts;

        public override void SendSignal(string instanceId, string name, string? payload = null, string? startWorkflow = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(instanceId);
            ArgumentException.ThrowIfNullOrEmpty(name);
            Sends.Add(new PendingSend(ControlMessageKind.Signal, instanceId, name, payload, startWorkflow, null));
        }

        public override void StartInstance(string workflowName, string instanceId, string? input = null)
        {
            ArgumentException.ThrowIfNullOrEmpty(workflowName);
            ArgumentException.ThrowIfNullOrEmpty(instanceId);
            Sends.Add(new PendingSend(ControlMessageKind.Start, instanceId, null, null, workflowName, input));
        }
    }
}
