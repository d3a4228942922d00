using Microsoft.Extensions.Logging;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Gc;

/// <summary>Drains a cluster's garbage-collection queue in the background, like kube-controller-manager's
/// garbage collector and namespace controller: dependents go after their owner, not within its request.</summary>
public static class GarbageCollector
{
    public static async Task RunAsync(Cluster cluster, ILogger logger, CancellationToken ct)
    {
        try
        {
            await foreach (var work in cluster.GcQueue.ReadAllAsync(ct))
            {
                try
                {
                    cluster.Collect(work);
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Garbage collection of {Kind} {Subject} in cluster {Cluster} failed", work.Kind, work.Subject, cluster.Name);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
