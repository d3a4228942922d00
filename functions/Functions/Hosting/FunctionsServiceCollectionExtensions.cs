using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using ServerlessCapi.Functions.Http;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Functions.Queues;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Functions.Timers;

namespace ServerlessCapi.Functions.Hosting;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Registers functions (callable more than once; registrations add up) and the runtime services.</summary>
    public static IServiceCollection AddFunctions(this IServiceCollection services, Action<FunctionsBuilder> register)
    {
        var builder = services.FirstOrDefault(d => d.ServiceType == typeof(FunctionsBuilder))?.ImplementationInstance as FunctionsBuilder;
        if (builder is null)
        {
            builder = new FunctionsBuilder();
            services.AddSingleton(builder);
            AddRuntime(services);
        }
        var before = builder.Functions.Count;
        register(builder);
        foreach (var function in builder.Functions.Skip(before))
            services.TryAddScoped(function.FunctionType);
        return services;
    }

    /// <summary>Adds the standalone listeners: queue polling, timers, queue-depth sampling.</summary>
    public static IServiceCollection AddFunctionListeners(this IServiceCollection services)
    {
        services.TryAddSingleton<QueueListenerHost>();
        services.TryAddSingleton<TimerScheduler>();
        services.TryAddSingleton<QueueDepthSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueListenerHost>());
        services.AddHostedService(sp => sp.GetRequiredService<TimerScheduler>());
        services.AddHostedService(sp => sp.GetRequiredService<QueueDepthSampler>());
        return services;
    }

    private static void AddRuntime(IServiceCollection services)
    {
        services.AddOptions<QueuesOptions>().BindConfiguration(QueuesOptions.Section);
        services.AddOptions<FunctionAppOptions>().BindConfiguration(FunctionAppOptions.Section);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new FunctionCatalog(
            sp.GetRequiredService<FunctionsBuilder>().Functions, sp.GetRequiredService<IConfiguration>()));
        services.TryAddSingleton<StorageAccount>();
        services.TryAddSingleton<FunctionMetrics>();
        services.TryAddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton<FunctionExecutor>();
        services.TryAddSingleton<FunctionKeys>();
        services.TryAddSingleton<Readiness>();
    }
}
