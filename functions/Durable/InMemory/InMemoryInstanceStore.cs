using System.Globalization;
using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.InMemory;

/// <summary>Instances in a dictionary, with the same commit rules as the table store (version check, create-only-once).</summary>
internal sealed class InMemoryInstanceStore : IInstanceStore
{
    private readonly object _gate = new();
    private readonly SortedDictionary<string, Entry> _instances = new(StringComparer.Ordinal);

    public int CommitCount { get; private set; }

    public Task<InstanceSnapshot?> LoadAsync(string instanceId, bool allowCached, CancellationToken ct)
    {
        lock (_gate)
        {
            if (!_instances.TryGetValue(instanceId, out var e)) return Task.FromResult<InstanceSnapshot?>(null);
            return Task.FromResult<InstanceSnapshot?>(new InstanceSnapshot
            {
                Record = e.Record.Clone(),
                ETag = e.ETag.ToString(CultureInfo.InvariantCulture),
                Dedup = [.. e.Dedup],
            });
        }
    }

    public Task<CommitResult> CommitAsync(InstanceCommit commit, CancellationToken ct)
    {
        lock (_gate)
        {
            var id = commit.Record.InstanceId;
            _instances.TryGetValue(id, out var e);
            if (commit.ExpectedETag is null ? e is not null : e is null || e.ETag.ToString(CultureInfo.InvariantCulture) != commit.ExpectedETag)
                return Task.FromResult(CommitResult.Conflict);
            if (e is null)
            {
                e = new Entry();
                _instances[id] = e;
            }
            e.ETag++;
            e.Record = commit.Record.Clone();
            e.Dedup.RemoveAll(b => commit.RemoveDedup.Contains(b.Version));
            if (commit.AddDedup is { } d) e.Dedup.Add(d);
            if (commit.Outbox is { } o) e.Outbox[o.Version] = o;
            foreach (var h in commit.History) e.History[h.Sequence] = h.Entry;
            foreach (var seq in commit.RemoveHistory) e.History.Remove(seq);
            CommitCount++;
            return Task.FromResult(CommitResult.Committed);
        }
    }

    public Task DeleteOutboxAsync(string instanceId, long version, CancellationToken ct)
    {
        lock (_gate)
        {
            if (_instances.TryGetValue(instanceId, out var e)) e.Outbox.Remove(version);
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string instanceId, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<HistoryEntry> list = _instances.TryGetValue(instanceId, out var e) ? [.. e.History.Values] : [];
            return Task.FromResult(list);
        }
    }

    public Task<InstanceRecord?> GetAsync(string instanceId, CancellationToken ct)
    {
        lock (_gate)
        {
            return Task.FromResult(_instances.TryGetValue(instanceId, out var e) ? e.Record.Clone() : null);
        }
    }

    public Task<(IReadOnlyList<InstanceRecord> Instances, string? ContinuationToken)> ListAsync(InstanceQuery query, CancellationToken ct)
    {
        lock (_gate)
        {
            var matches = _instances
                .Where(kv => query.ContinuationToken is null || string.CompareOrdinal(kv.Key, query.ContinuationToken) > 0)
                .Select(kv => kv.Value.Record)
                .Where(r => InstanceQueries.Matches(query, r))
                .Take(query.PageSize + 1)
                .Select(r => r.Clone())
                .ToList();
            string? token = null;
            if (matches.Count > query.PageSize)
            {
                matches.RemoveAt(matches.Count - 1);
                token = matches[^1].InstanceId;
            }
            return Task.FromResult<(IReadOnlyList<InstanceRecord>, string?)>((matches, token));
        }
    }

    public Task<bool> PurgeAsync(string instanceId, CancellationToken ct)
    {
        lock (_gate) return Task.FromResult(_instances.Remove(instanceId));
    }

    public Task<IReadOnlyList<InstanceRecord>> FindOverdueAsync(DateTimeOffset before, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<InstanceRecord> list = [.. _instances.Values.Select(e => e.Record).Where(r => InstanceQueries.IsOverdue(r, before)).Select(r => r.Clone())];
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyList<OutboxBlock>> FindStaleOutboxAsync(DateTimeOffset before, CancellationToken ct)
    {
        lock (_gate)
        {
            IReadOnlyList<OutboxBlock> list = [.. _instances.Values.SelectMany(e => e.Outbox.Values).Where(o => o.At <= before)];
            return Task.FromResult(list);
        }
    }

    private sealed class Entry
    {
        public InstanceRecord Record { get; set; } = null!;
        public long ETag { get; set; }
        public List<DedupBlock> Dedup { get; } = [];
        public Dictionary<long, OutboxBlock> Outbox { get; } = [];
        public SortedDictionary<long, HistoryEntry> History { get; } = [];
    }
}
