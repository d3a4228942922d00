using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>Request totals per verb (get, list, watch, create, update, patch, delete), also as Prometheus text.</summary>
public sealed class RequestMetrics
{
    public static readonly string[] Verbs = ["get", "list", "watch", "create", "update", "patch", "delete"];

    private readonly ConcurrentDictionary<string, long> _counts = new(Verbs.Select(v => KeyValuePair.Create(v, 0L)), StringComparer.Ordinal);

    public void Count(string verb) => _counts.AddOrUpdate(verb, 1, (_, n) => n + 1);

    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    public string Prometheus()
    {
        var sb = new StringBuilder();
        sb.Append("# HELP apiserver_request_total Requests served, by verb.\n# TYPE apiserver_request_total counter\n");
        foreach (var (verb, count) in _counts.OrderBy(p => p.Key, StringComparer.Ordinal))
            sb.Append(CultureInfo.InvariantCulture, $"apiserver_request_total{{verb=\"{verb}\"}} {count}\n");
        return sb.ToString();
    }
}
