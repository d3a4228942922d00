using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Events;

/// <summary>Puts the process's <see cref="EventRecorder"/> into the container, where the reconcilers take it from.</summary>
public static class EventRecorderRegistration
{
    /// <summary>Adds one <see cref="EventRecorder"/> for the management cluster's <see cref="KubeApi"/> (also what
    /// <see cref="EventRecorder.For"/> answers for it, so whatever records through that client shares its limits).</summary>
    public static IServiceCollection AddEventRecorder(this IServiceCollection services, EventRecorderOptions? options = null)
    {
        services.TryAddSingleton(sp =>
        {
            var kube = sp.GetRequiredService<KubeApi>();
            var recorder = new EventRecorder(kube, sp.GetService<ILogger<EventRecorder>>(), options, sp.GetService<TimeProvider>());
            EventRecorder.Share(kube, recorder);
            return recorder;
        });
        return services;
    }
}
