using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Tests.Support;
using Durable = ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Support;

/// <summary>Runs reconcilers in-process against a real API server for tests: wakes them with a <see cref="ChangeFeed"/>
/// (the product's routes), fires their timers on the real clock, and runs one step at a time. It stands in for the watch
/// relay, the dispatcher and the engine worker, which have their own tests.</summary>
public sealed class WorkflowDriver : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromMilliseconds(500);

    private readonly KubeApi _kube;
    private readonly string _ns;
    private readonly Dictionary<string, ReconcileStep> _workflows;
    private readonly Func<KubeApi, string, CancellationToken, Task>? _eachRound;
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly ChangeFeed _feed;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _errors = [];
    private Task? _loop;

    public WorkflowDriver(KubeApi kube, string ns, IEnumerable<IObjectReconciler> reconcilers, Func<KubeApi, string, CancellationToken, Task>? eachRound = null)
    {
        _kube = kube;
        _ns = ns;
        _workflows = reconcilers.Select(r => new ReconcileStep(r)).ToDictionary(w => w.Kind, StringComparer.Ordinal);
        _eachRound = eachRound;
        _feed = new ChangeFeed(kube, ns, _workflows.Keys.ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Errors steps threw (they are retried); a test can show them when it times out.</summary>
    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    public int Steps { get; private set; }

    public void Start() => _loop = Task.Run(() => RunAsync(_stop.Token));

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(ct);
                if (_eachRound is not null) await _eachRound(_kube, _ns, ct);
                await Task.Delay(Tick, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Record("round", e);
            }
        }
    }

    private async Task RoundAsync(CancellationToken ct)
    {
        var wake = new Dictionary<string, FeedWake>(StringComparer.Ordinal);
        foreach (var w in await _feed.PassAsync(ct)) wake[w.Key.InstanceId] = w;
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, instance) in _instances.Where(i => !i.Value.Completed && i.Value.TimerAt <= now && !wake.ContainsKey(i.Key)))
            wake[id] = new FeedWake(instance.Key, Start: false, "timer");
        foreach (var w in wake.Values)
            await StepAsync(w, ct);
    }

    private async Task StepAsync(FeedWake wake, CancellationToken ct)
    {
        var id = wake.Key.InstanceId;
        if (!_workflows.TryGetValue(wake.Key.Kind, out var workflow)) return;
        if (!_instances.TryGetValue(id, out var instance))
        {
            if (!wake.Start) return;
            instance = new Instance(wake.Key);
            _instances[id] = instance;
        }
        if (instance.Completed) return;
        var timer = wake.Cause == "timer";
        try
        {
            var result = await workflow.RunAsync(new Durable.ReconcileRequest(ReconcileStep.ToDurable(instance.Key), timer, instance.QuietPolls), DateTimeOffset.UtcNow, ct);
            Steps++;
            instance.QuietPolls = result.QuietPolls;
            instance.Completed = result is Durable.ReconcileOutcome.GoneOutcome;
            instance.TimerAt = result is Durable.ReconcileOutcome.RequeueOutcome r ? DateTimeOffset.UtcNow + r.Delay : DateTimeOffset.MaxValue;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            Record(id, ex);
            instance.TimerAt = DateTimeOffset.UtcNow + RetryAfterError;
        }
    }

    private void Record(string where, Exception e)
    {
        lock (_errors) _errors.Add($"{where}: {e.GetType().Name}: {e.Message}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }

    private sealed class Instance(ObjectKey key)
    {
        public ObjectKey Key { get; } = key;
        public int QuietPolls { get; set; }
        public bool Completed { get; set; }
        public DateTimeOffset TimerAt { get; set; } = DateTimeOffset.MaxValue;
    }
}
