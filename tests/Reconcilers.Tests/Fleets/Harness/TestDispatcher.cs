using Microsoft.Extensions.Logging;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Tests.Support;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>Hands the wakes of a <see cref="ChangeFeed"/> (the product's routes) to the objects' entities, as the dispatcher does.</summary>
internal sealed class TestDispatcher(KubeApi kube, IObjectSignals workflows, string ns, IReadOnlySet<string> reconciledKinds, ILogger logger)
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
                var wakes = (await _feed.PassAsync(ct)).Select(w => ReconcileStep.ToDurable(w.Key)).Distinct().ToList();
                if (wakes.Count > 0) await workflows.SignalChangedAsync(wakes, ct);
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
