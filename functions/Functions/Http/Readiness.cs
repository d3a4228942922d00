using Azure;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Queues;

namespace ServerlessCapi.Functions.Http;

/// <summary>Ready = every queue listener polls and the storage account answers (checked at most every few seconds).</summary>
public sealed class Readiness(StorageAccount storage, IServiceProvider services, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly SemaphoreSlim _probe = new(1, 1);
    private (DateTimeOffset At, string? Problem)? _lastStorageCheck;

    /// <summary>Null when ready, else what is missing.</summary>
    public async Task<string?> ProblemAsync(CancellationToken ct)
    {
        if (services.GetService<QueueListenerHost>() is { AllStarted: false })
            return "queue listeners are starting";
        if (!storage.IsConfigured) return $"{StorageAccount.ConnectionSetting} is not configured";
        await _probe.WaitAsync(ct);
        try
        {
            var now = time.GetUtcNow();
            if (_lastStorageCheck is { } last && now - last.At < CacheFor) return last.Problem;
            string? problem = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await storage.QueueService().GetPropertiesAsync(timeout.Token);
            }
            catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException)
            {
                problem = "storage is not reachable";
            }
            _lastStorageCheck = (now, problem);
            return problem;
        }
        finally
        {
            _probe.Release();
        }
    }

    public void Dispose() => _probe.Dispose();
}
