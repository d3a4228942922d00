using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Tests.Support;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>Hands the wakes of a <see cref="ChangeFeed"/> (the product's routes) to the engine, as the dispatcher does.</summary>
internal sealed class TestDispatcher(KubeApi kube, IWorkflowClient workflows, string ns, IReadOnlySet<string> reconciledKinds, ILogger logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly ChangeFeed _feed = new(kube, ns, reconciledKinds);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var wake in await _feed.PassAsync(ct))
                {
                    await workflows.RaiseEventAsync(wake.Key.InstanceId, ObjectKey.ChangedSignal, wake.Key.ToJson(), $"{wake.Key.InstanceId}|{wake.Cause}",
                        wake.Start ? wake.Key.Kind : null, ct);
                }
                await timer.WaitForNextTickAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning("Dispatcher pass failed: {Error}", e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
