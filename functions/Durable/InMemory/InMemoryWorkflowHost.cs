using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Durable.Engine;
using ServerlessCapi.Durable.InMemory;

namespace ServerlessCapi.Durable;

/// <summary>How adversarial the in-memory host's delivery is.</summary>
/// <param name="Seed">When set, deliver messages one at a time in a shuffled order (queues are not FIFO).</param>
/// <param name="DuplicateDeliveries">Deliver every message twice (queues are at-least-once).</param>
public sealed record InMemoryDelivery(int? Seed = null, bool DuplicateDeliveries = false);

/// <summary>The workflow engine without I/O, for fast tests of workflow logic: the same planner, dedup, timers,
/// retries, suspension and outbox as on Azure Storage, driven by a manual clock.</summary>
/// <example>
/// <code>
/// var host = new InMemoryWorkflowHost(new MachineWorkflow(fakes));
/// await host.Client.StartAsync("Machine", "Machine/uid-1");
/// await host.RunUntilIdleAsync();
/// await host.AdvanceAsync(TimeSpan.FromMinutes(1)); // fires due timers
/// (await host.Client.GetStatusAsync("Machine/uid-1"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Completed);
/// </code>
/// </example>
public sealed class InMemoryWorkflowHost
{
    private readonly InMemoryInstanceStore _store = new();
    private readonly Queue _queue;
    private readonly InstanceProcessor _processor;
    private readonly InMemoryDelivery _delivery;
    private readonly Random? _random;

    public InMemoryWorkflowHost(params IWorkflow[] workflows)
        : this(workflows, options: null)
    {
    }

    public InMemoryWorkflowHost(IEnumerable<IWorkflow> workflows, DurableWorkflowOptions? options = null, InMemoryDelivery? delivery = null,
        ILogger? logger = null)
    {
        Options = options ?? new DurableWorkflowOptions();
        if (Options.TimeProvider is not ManualClock) Options.TimeProvider = new ManualClock();
        Clock = (ManualClock)Options.TimeProvider;
        _delivery = delivery ?? new InMemoryDelivery();
        _random = _delivery.Seed is { } seed ? new Random(seed) : null;
        _queue = new Queue(Clock);
        var registry = WorkflowRegistry.FromInstances(workflows);
        logger ??= NullLogger.Instance;
        _processor = new InstanceProcessor(_store, _queue, registry, Options, logger);
        Client = new WorkflowClient(_store, _queue, Options, registry);
    }

    public DurableWorkflowOptions Options { get; }

    public ManualClock Clock { get; }

    /// <summary>The management API over this host.</summary>
    public IWorkflowClient Client { get; }

    /// <summary>Messages not yet delivered (visible now or later).</summary>
    public int QueuedMessages => _queue.Count;

    /// <summary>Commits so far (every step batch and management change is one).</summary>
    public int Commits => _store.CommitCount;

    /// <summary>Messages whose processing kept throwing (they went to the poison queue).</summary>
    public IReadOnlyList<string> PoisonedMessageIds => _poisoned;

    private readonly List<string> _poisoned = [];

    /// <summary>Delivers every message that is visible at the current time, and what those produce, until none is left.
    /// Returns the number of deliveries.</summary>
    public async Task<int> RunUntilIdleAsync(CancellationToken ct = default)
    {
        var deliveries = 0;
        for (var round = 0; ; round++)
        {
            if (round > 10_000) throw new InvalidOperationException("Workflows did not become idle (a livelock?).");
            var visible = _queue.TakeVisible();
            if (visible.Count == 0) return deliveries;
            foreach (var group in Groups(visible))
            {
                deliveries += group.Count;
                try
                {
                    await _processor.ProcessAsync(group[0].Message.InstanceId, [.. group.Select(g => g.Message)], ct);
                }
                catch (Exception) when (!ct.IsCancellationRequested)
                {
                    foreach (var d in group) await RedeliverOrPoisonAsync(d, ct);
                }
            }
        }
    }

    /// <summary>Moves the clock forward and runs everything that became due.</summary>
    public Task<int> AdvanceAsync(TimeSpan by, CancellationToken ct = default)
    {
        Clock.Advance(by);
        return RunUntilIdleAsync(ct);
    }

    /// <summary>Moves the clock to the next hidden message (a timer) and runs; false when nothing is scheduled.</summary>
    public async Task<bool> AdvanceToNextTimerAsync(CancellationToken ct = default)
    {
        if (_queue.NextVisibleAt() is not { } next) return false;
        if (next > Clock.GetUtcNow()) Clock.SetUtcNow(next);
        await RunUntilIdleAsync(ct);
        return true;
    }

    private IEnumerable<List<Delivery>> Groups(List<Delivery> visible)
    {
        if (_delivery.DuplicateDeliveries)
            visible = [.. visible.SelectMany(d => new[] { d, d with { DequeueCount = d.DequeueCount } })];
        if (_random is not null)
        {
            // One message at a time in random order: the most reordering a real queue could produce.
            var shuffled = visible.ToArray();
            _random.Shuffle(shuffled);
            return shuffled.Select(d => new List<Delivery> { d });
        }
        return visible.GroupBy(d => d.Message.InstanceId, StringComparer.Ordinal).Select(g => g.ToList());
    }

    private async Task RedeliverOrPoisonAsync(Delivery d, CancellationToken ct)
    {
        if (d.DequeueCount >= Options.MaxDequeueCount)
        {
            _poisoned.Add(d.Message.Id);
            await _processor.RecordPoisonAsync(d.Message, d.DequeueCount, ct);
            return;
        }
        _queue.Add(d with { DequeueCount = d.DequeueCount + 1 }, TimeSpan.Zero);
    }

    private sealed record Delivery(ControlMessage Message, int DequeueCount);

    private sealed class Queue(ManualClock clock) : IControlSender
    {
        private readonly List<(Delivery Delivery, DateTimeOffset VisibleAt)> _items = [];

        public int Count
        {
            get
            {
                lock (_items) return _items.Count;
            }
        }

        public Task SendAsync(ControlMessage message, TimeSpan delay, CancellationToken ct)
        {
            Add(new Delivery(message, 1), delay);
            return Task.CompletedTask;
        }

        public void Add(Delivery d, TimeSpan delay)
        {
            lock (_items) _items.Add((d, clock.GetUtcNow() + delay));
        }

        public List<Delivery> TakeVisible()
        {
            var now = clock.GetUtcNow();
            lock (_items)
            {
                var visible = _items.Where(i => i.VisibleAt <= now).Select(i => i.Delivery).ToList();
                _items.RemoveAll(i => i.VisibleAt <= now);
                return visible;
            }
        }

        public DateTimeOffset? NextVisibleAt()
        {
            lock (_items) return _items.Count == 0 ? null : _items.Min(i => i.VisibleAt);
        }
    }
}
