using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineSets;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>One look at a fleet: Machines that exist (deleting ones included), those available and not being
/// deleted, and whether more than one version runs.</summary>
internal sealed record FleetSample(DateTime At, int Total, int Available, bool Mixed);

/// <summary>Samples a fleet continuously in the background until stopped (bounds must hold at every moment, not
/// only at the end).</summary>
internal sealed class FleetSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<FleetSample> _samples = [];
    private readonly Task _loop;

    public FleetSampler(Func<Task<IReadOnlyList<Machine>>> machines)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var list = await machines();
                var available = list.Count(m => MachineFacts.IsAvailable(m) && !MachineFacts.IsDeleting(m));
                var mixed = list.Select(m => m.Spec.Version).Distinct().Count() > 1;
                lock (_samples) _samples.Add(new FleetSample(DateTime.UtcNow, list.Count, available, mixed));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(25), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public async Task<IReadOnlyList<FleetSample>> StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        lock (_samples) return [.. _samples];
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await StopAsync();
        _stop.Dispose();
    }
}
