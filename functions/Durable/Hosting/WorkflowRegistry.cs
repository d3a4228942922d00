using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable;

/// <summary>The workflows this process can run, by name.</summary>
/// <remarks>Workflows registered by type are resolved from a fresh DI scope for every step (a scope per
/// reconcile); workflows registered as instances are shared.</remarks>
public sealed class WorkflowRegistry
{
    private readonly Dictionary<string, Entry> _byName = new(StringComparer.Ordinal);
    private readonly IServiceProvider? _services;

    private WorkflowRegistry(IServiceProvider? services) => _services = services;

    /// <summary>A registry of ready-made workflow objects (unit tests, the in-memory host).</summary>
    public static WorkflowRegistry FromInstances(IEnumerable<IWorkflow> workflows)
    {
        var registry = new WorkflowRegistry(null);
        foreach (var w in workflows) registry.Add(new Entry(w.Name, w.StartOnSignal, w.StateType, null, w));
        return registry;
    }

    internal static WorkflowRegistry FromServices(IServiceProvider services, IEnumerable<WorkflowRegistration> registrations)
    {
        var registry = new WorkflowRegistry(services);
        using var scope = services.CreateScope();
        foreach (var r in registrations)
        {
            var w = r.Instance ?? (IWorkflow)scope.ServiceProvider.GetRequiredService(r.WorkflowType);
            registry.Add(new Entry(w.Name, w.StartOnSignal, w.StateType, r.Instance is null ? r.WorkflowType : null, r.Instance));
        }
        return registry;
    }

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public bool Contains(string workflowName) => _byName.ContainsKey(workflowName);

    /// <summary>Whether a signal may start a missing instance of this workflow.</summary>
    public bool StartsOnSignal(string workflowName) => _byName.TryGetValue(workflowName, out var e) && e.StartOnSignal;

    internal WorkflowHandle Open(string workflowName)
    {
        if (!_byName.TryGetValue(workflowName, out var e))
            throw new UnknownWorkflowException(workflowName);
        var invoker = WorkflowInvoker.For(e.StateType);
        if (e.Instance is not null) return new WorkflowHandle(e.Instance, invoker, null);
        var scope = _services!.CreateAsyncScope();
        return new WorkflowHandle((IWorkflow)scope.ServiceProvider.GetRequiredService(e.Type!), invoker, scope);
    }

    private void Add(Entry e)
    {
        if (!_byName.TryAdd(e.Name, e))
            throw new InvalidOperationException($"Two workflows are registered as '{e.Name}'.");
    }

    private sealed record Entry(string Name, bool StartOnSignal, Type StateType, Type? Type, IWorkflow? Instance);
}

/// <summary>One registered workflow type or instance.</summary>
public sealed record WorkflowRegistration(Type WorkflowType, IWorkflow? Instance = null);

/// <summary>A workflow resolved for one step, with its DI scope.</summary>
internal sealed class WorkflowHandle(IWorkflow workflow, WorkflowInvoker invoker, AsyncServiceScope? scope) : IAsyncDisposable
{
    public IWorkflow Workflow => workflow;
    public WorkflowInvoker Invoker => invoker;

    public ValueTask DisposeAsync() => scope?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>A message names a workflow this process does not know (a deployment or configuration problem).</summary>
public sealed class UnknownWorkflowException(string workflowName)
    : InvalidOperationException($"No workflow named '{workflowName}' is registered in this process.")
{
    public string WorkflowName { get; } = workflowName;
}
