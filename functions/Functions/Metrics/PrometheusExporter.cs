using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace ServerlessCapi.Functions.Metrics;

/// <summary>Collects every <c>ServerlessCapi*</c> meter of this app and renders Prometheus text.</summary>
/// <remarks>
/// Any part of the product adds metrics with plain <see cref="System.Diagnostics.Metrics"/>: a meter named
/// <c>ServerlessCapi.&lt;Part&gt;</c>, created through the app's <see cref="IMeterFactory"/> (so two app
/// instances in one process keep separate numbers) or as a static <see cref="Meter"/>. Counters become
/// <c>_total</c> series, histograms get buckets (from the instrument's advice, else <see cref="DefaultBuckets"/>),
/// up-down counters and observable gauges become gauges. Instrument names map dots to underscores and a
/// unit of <c>s</c> adds <c>_seconds</c>.
/// </remarks>
public sealed class PrometheusExporter : IDisposable
{
    public const string MeterPrefix = "ServerlessCapi";

    public static IReadOnlyList<double> DefaultBuckets { get; } =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Series> _series = new();
    private readonly Lock _scrape = new();

    /// <param name="scope">The app's meter factory: meters from another factory (another app in the same
    /// process) are ignored; meters without a factory are included.</param>
    public PrometheusExporter(IMeterFactory? scope = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            var meter = instrument.Meter;
            if (!meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal)) return;
            if (meter.Scope is not null && !ReferenceEquals(meter.Scope, scope)) return;
            _series[instrument] = new Series(instrument);
            listener.EnableMeasurementEvents(instrument);
        };
        _listener.MeasurementsCompleted = (instrument, _) => _series.TryRemove(instrument, out Series? _);
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        _listener.SetMeasurementEventCallback<float>((i, v, tags, _) => Record(i, v, tags));
        _listener.Start();
    }

    /// <summary>The exposition text (content type <c>text/plain; version=0.0.4</c>).</summary>
    public string Render()
    {
        var text = new StringBuilder();
        lock (_scrape)
        {
            foreach (var s in _series.Values.Where(s => s.IsObservable)) s.Clear();
            _listener.RecordObservableInstruments();
            foreach (var group in _series.Values.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var first = group.First();
                text.Append("# HELP ").Append(group.Key).Append(' ').Append(EscapeHelp(first.Help)).Append('\n');
                text.Append("# TYPE ").Append(group.Key).Append(' ').Append(first.Type).Append('\n');
                foreach (var s in group) s.WriteTo(text);
            }
        }
        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.TryGetValue(instrument, out var s)) s.Record(value, Labels(tags));
    }

    private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length == 0) return "";
        var pairs = new List<KeyValuePair<string, object?>>(tags.ToArray());
        pairs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return string.Join(",", pairs.Select(p =>
            $"{SanitizeName(p.Key)}=\"{EscapeLabel(Convert.ToString(p.Value, CultureInfo.InvariantCulture) ?? "")}\""));
    }

    internal static string SanitizeName(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        if (sb.Length > 0 && char.IsAsciiDigit(sb[0])) sb.Insert(0, '_');
        return sb.ToString();
    }

    private static string EscapeLabel(string v) => v.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
    private static string EscapeHelp(string v) => v.Replace("\\", "\\\\").Replace("\n", "\\n");

    internal static string Format(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf" :
        double.IsNegativeInfinity(v) ? "-Inf" :
        double.IsNaN(v) ? "NaN" : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>The aggregated values of one instrument, per label set.</summary>
    private sealed class Series
    {
        private readonly ConcurrentDictionary<string, double> _values = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, HistogramCells> _histograms = new(StringComparer.Ordinal);
        private readonly double[] _buckets = [];
        private readonly bool _sum;

        public Series(Instrument instrument)
        {
            var baseName = SanitizeName(instrument.Name);
            if (instrument.Unit == "s" && !baseName.EndsWith("_seconds", StringComparison.Ordinal)) baseName += "_seconds";
            Help = instrument.Description ?? instrument.Name;
            IsObservable = instrument.IsObservable;
            var definition = instrument.GetType().GetGenericTypeDefinition();
            if (definition == typeof(Histogram<>))
            {
                Type = "histogram";
                _buckets = [.. (BucketsOf(instrument) ?? DefaultBuckets).Order()];
            }
            else if (definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>))
            {
                Type = "counter";
                if (!baseName.EndsWith("_total", StringComparison.Ordinal)) baseName += "_total";
            }
            else
            {
                Type = "gauge";
            }
            // Synchronous counters add up; gauges and observable instruments report the current value.
            _sum = definition == typeof(Counter<>) || definition == typeof(UpDownCounter<>);
            Name = baseName;
        }

        public string Name { get; }
        public string Help { get; }
        public string Type { get; }
        public bool IsObservable { get; }

        public void Clear()
        {
            _values.Clear();
            _histograms.Clear();
        }

        public void Record(double value, string labels)
        {
            if (Type == "histogram")
            {
                _histograms.GetOrAdd(labels, _ => new HistogramCells(_buckets.Length)).Add(_buckets, value);
            }
            else if (_sum)
            {
                _values.AddOrUpdate(labels, value, (_, old) => old + value);
            }
            else
            {
                _values[labels] = value;
            }
        }

        public void WriteTo(StringBuilder text)
        {
            foreach (var (labels, value) in _values.OrderBy(p => p.Key, StringComparer.Ordinal))
                text.Append(Name).Append(Braces(labels)).Append(' ').Append(Format(value)).Append('\n');
            foreach (var (labels, cells) in _histograms.OrderBy(p => p.Key, StringComparer.Ordinal))
                cells.WriteTo(text, Name, labels, _buckets);
        }

        private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

        private static IReadOnlyList<double>? BucketsOf(Instrument instrument) => instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToList(),
            _ => null,
        };
    }

    private sealed class HistogramCells(int buckets)
    {
        private readonly long[] _counts = new long[buckets];
        private long _count;
        private double _sum;

        public void Add(double[] bounds, double value)
        {
            lock (this)
            {
                for (var i = 0; i < bounds.Length; i++)
                    if (value <= bounds[i]) _counts[i]++;
                _count++;
                _sum += value;
            }
        }

        public void WriteTo(StringBuilder text, string name, string labels, double[] bounds)
        {
            lock (this)
            {
                var sep = labels.Length == 0 ? "" : labels + ",";
                for (var i = 0; i < bounds.Length; i++)
                    text.Append(name).Append("_bucket{").Append(sep).Append("le=\"").Append(Format(bounds[i])).Append("\"} ")
                        .Append(_counts[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
                text.Append(name).Append("_bucket{").Append(sep).Append("le=\"+Inf\"} ")
                    .Append(_count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                var braces = labels.Length == 0 ? "" : "{" + labels + "}";
                text.Append(name).Append("_sum").Append(braces).Append(' ').Append(Format(_sum)).Append('\n');
                text.Append(name).Append("_count").Append(braces).Append(' ').Append(_count.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }
}
