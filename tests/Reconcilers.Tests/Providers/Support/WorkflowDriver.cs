using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Durable;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Support;

/// <summary>Runs object workflows in-process against a real API server for tests: polls one namespace, signals
/// an object's own instance, its controller owner and the objects named in a Machine's or Cluster's spec
/// when it changes (the product's wake rules), fires durable timers on the real clock, and runs one step
/// at a time. It stands in for the watch relay, the dispatcher and the engine worker, which have their
/// own tests.</summary>
public sealed class WorkflowDriver : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromMilliseconds(500);
    private static readonly string[] WatchedKinds = ["Cluster", "Machine", "KubeadmControlPlane", "KubeadmConfig", "DevCluster", "DevMachine"];

    private readonly KubeApi _kube;
    private readonly string _ns;
    private readonly Dictionary<string, ObjectWorkflow<IObjectReconciler>> _workflows;
    private readonly Func<KubeApi, string, CancellationToken, Task>? _eachRound;
    private readonly Dictionary<string, Instance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Kind, string Name, string ResourceVersion, JsonObject Obj)> _seen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _errors = [];
    private Task? _loop;

    public WorkflowDriver(KubeApi kube, string ns, IEnumerable<IObjectReconciler> reconcilers, Func<KubeApi, string, CancellationToken, Task>? eachRound = null)
    {
        _kube = kube;
        _ns = ns;
        _workflows = reconcilers.Select(r => new ObjectWorkflow<IObjectReconciler>(r)).ToDictionary(w => w.Name, StringComparer.Ordinal);
        _eachRound = eachRound;
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
        var current = new Dictionary<string, (string Kind, string Name, string ResourceVersion, JsonObject Obj)>(StringComparer.Ordinal);
        foreach (var kind in WatchedKinds)
        {
            var info = CapiKinds.All.First(k => k.Kind == kind);
            var page = await _kube.SendAsync<JsonObject>(HttpMethod.Get, info.CollectionPath(_ns), null, null, ct);
            foreach (var item in (page?["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var uid = item["metadata"]!["uid"]!.GetValue<string>();
                current[uid] = (kind, item["metadata"]!["name"]!.GetValue<string>(), item["metadata"]!["resourceVersion"]!.GetValue<string>(), item);
            }
        }

        var wake = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (uid, o) in current)
        {
            if (_seen.TryGetValue(uid, out var before) && before.ResourceVersion == o.ResourceVersion) continue;
            WakeFor(uid, o.Kind, o.Obj, current, wake);
        }
        foreach (var (uid, gone) in _seen.Where(s => !current.ContainsKey(s.Key)).ToList())
            WakeFor(uid, gone.Kind, gone.Obj, current, wake, includeSelf: false);
        _seen.Clear();
        foreach (var (k, v) in current) _seen[k] = v;

        var now = DateTimeOffset.UtcNow;
        foreach (var (id, instance) in _instances.Where(i => !i.Value.Completed && i.Value.TimerAt <= now))
            wake.Add(id);
        foreach (var id in wake)
            await StepAsync(id, current, ct);
    }

    private void WakeFor(string uid, string kind, JsonObject obj, Dictionary<string, (string Kind, string Name, string ResourceVersion, JsonObject Obj)> current,
        HashSet<string> wake, bool includeSelf = true)
    {
        if (includeSelf) wake.Add(ObjectKey.InstanceIdFor(kind, uid));
        foreach (var owner in (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (owner["controller"]?.GetValue<bool>() == true)
                wake.Add(ObjectKey.InstanceIdFor(owner["kind"]!.GetValue<string>(), owner["uid"]!.GetValue<string>()));
        }
        string[][] refs = kind switch
        {
            "Machine" => [["spec", "infrastructureRef"], ["spec", "bootstrap", "configRef"]],
            "Cluster" => [["spec", "infrastructureRef"], ["spec", "controlPlaneRef"]],
            _ => [],
        };
        foreach (var path in refs)
        {
            JsonNode? node = obj;
            foreach (var segment in path) node = node?[segment];
            var refKind = node?["kind"]?.GetValue<string>();
            var refName = node?["name"]?.GetValue<string>();
            foreach (var (refUid, o) in current.Where(c => c.Value.Kind == refKind && c.Value.Name == refName))
                wake.Add(ObjectKey.InstanceIdFor(o.Kind, refUid));
        }
    }

    private async Task StepAsync(string id, Dictionary<string, (string Kind, string Name, string ResourceVersion, JsonObject Obj)> current,
        CancellationToken ct)
    {
        var kind = id[..id.IndexOf('/', StringComparison.Ordinal)];
        var uid = id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..];
        if (!_workflows.TryGetValue(kind, out var workflow)) return;
        if (!_instances.TryGetValue(id, out var instance))
        {
            if (!current.TryGetValue(uid, out var o)) return;
            instance = new Instance(new ObjectKey(kind, _ns, o.Name, uid).ToJson());
            _instances[id] = instance;
        }
        if (instance.Completed) return;
        var context = new DriverContext(id, instance.State, instance.Input, DateTimeOffset.UtcNow);
        var e = new WorkflowEvent(WorkflowEventKind.Signal, ObjectKey.ChangedSignal, instance.Input, Guid.NewGuid().ToString());
        try
        {
            var result = await workflow.RunAsync(context, e, ct);
            Steps++;
            instance.State = result.State;
            instance.Completed = result.Outcome != StepOutcome.Continue;
            instance.TimerAt = result.Wait?.Until ?? DateTimeOffset.MaxValue;
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

    private sealed class Instance(string input)
    {
        public string Input { get; } = input;
        public ObjectState State { get; set; } = new();
        public bool Completed { get; set; }
        public DateTimeOffset TimerAt { get; set; } = DateTimeOffset.MaxValue;
    }

    private sealed class DriverContext(string id, ObjectState state, string input, DateTimeOffset now) : WorkflowContext<ObjectState>
    {
        public override string InstanceId => id;
        public override ObjectState State => state;
        public override string? Input => input;
        public override DateTimeOffset Now => now;
        public override int FailedAttempts => 0;

        public override void SendSignal(string instanceId, string name, string? payload = null, string? startWorkflow = null)
        {
            // Provider workflows send no signals; changes they make reach others through the API server.
        }

        public override void StartInstance(string workflowName, string instanceId, string? input = null)
        {
        }
    }
}
