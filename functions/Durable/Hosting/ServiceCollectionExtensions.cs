using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Durable.Storage;

namespace ServerlessCapi.Durable;

/// <summary>Registers the workflow engine: <c>services.AddDurableWorkflows(o => ...).AddWorkflow&lt;MyWorkflow&gt;()</c>.</summary>
public static class DurableWorkflowServiceCollectionExtensions
{
    /// <summary>Adds the engine on Azure Storage: <see cref="IWorkflowClient"/>, the <see cref="WorkflowRegistry"/>
    /// and the hosted <see cref="WorkflowWorker"/> (idle when <see cref="DurableWorkflowOptions.EnableWorker"/> is false).</summary>
    public static DurableWorkflowsBuilder AddDurableWorkflows(this IServiceCollection services, Action<DurableWorkflowOptions> configure)
    {
        var options = new DurableWorkflowOptions();
        configure(options);
        options.Validate();
        services.TryAddSingleton(options);
        services.TryAddSingleton(sp => WorkflowRegistry.FromServices(sp, sp.GetServices<WorkflowRegistration>()));
        services.TryAddSingleton(sp => new StorageBackend(
            sp.GetRequiredService<DurableWorkflowOptions>(), sp.GetRequiredService<WorkflowRegistry>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.TryAddSingleton<IWorkflowClient>(sp => sp.GetRequiredService<StorageBackend>().Client);
        services.TryAddSingleton(sp => new WorkflowWorker(
            sp.GetRequiredService<StorageBackend>(), sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<WorkflowWorker>());
        return new DurableWorkflowsBuilder(services);
    }
}

/// <summary>Adds workflows to the engine.</summary>
public sealed class DurableWorkflowsBuilder(IServiceCollection services)
{
    public IServiceCollection Services => services;

    /// <summary>Registers a workflow type, resolved from a fresh DI scope for every step.</summary>
    public DurableWorkflowsBuilder AddWorkflow<TWorkflow>() where TWorkflow : class, IWorkflow
    {
        services.TryAddScoped<TWorkflow>();
        services.AddSingleton(new WorkflowRegistration(typeof(TWorkflow)));
        return this;
    }

    /// <summary>Registers a workflow type known at run time (a registry of kinds), as <see cref="AddWorkflow{TWorkflow}"/> does.</summary>
    public DurableWorkflowsBuilder AddWorkflow(Type workflowType)
    {
        if (!typeof(IWorkflow).IsAssignableFrom(workflowType)) throw new ArgumentException($"{workflowType.Name} is not a workflow.", nameof(workflowType));
        services.TryAddScoped(workflowType);
        services.AddSingleton(new WorkflowRegistration(workflowType));
        return this;
    }

    /// <summary>Registers a ready-made workflow object, shared by every step.</summary>
    public DurableWorkflowsBuilder AddWorkflow(IWorkflow workflow)
    {
        services.AddSingleton(new WorkflowRegistration(workflow.GetType(), workflow));
        return this;
    }
}
