using ServerlessCapi.Api;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>Records every (type, status, reason) a Machine's conditions take until it is gone or the recorder
/// stops (transient states, such as being marked for remediation just before deletion, are easy to miss at the end).</summary>
internal sealed class ConditionRecorder
{
    private readonly HashSet<(string, string, string)> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ConditionRecorder(FleetEnvironment env, string machine)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                if (await env.Kube.GetAsync<Machine>(env.Namespace, machine) is not { } m) return;
                lock (_seen)
                {
                    foreach (var c in m.Status.Conditions ?? []) _seen.Add((c.Type, c.Status, c.Reason));
                }
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public bool Saw(string type, string status, string reason)
    {
        lock (_seen) return _seen.Contains((type, status, reason));
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
