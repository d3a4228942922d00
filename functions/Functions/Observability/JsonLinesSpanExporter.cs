using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenTelemetry;

namespace ServerlessCapi.Functions.Observability;

/// <summary>Writes finished spans as JSON lines, one span per line (traceId, spanId, parentSpanId, name, kind, start,
/// duration in milliseconds, attributes, links, status), to a file or to standard output: a trace read with
/// <c>grep</c> and <c>jq</c>, no collector needed.</summary>
/// <remarks>Written here because OpenTelemetry .NET maintains no file exporter (its console exporter prints a
/// human-oriented layout, not one JSON object per span). Several app processes may share one file: .NET opens it
/// without O_APPEND (it seeks to the end once), so each batch is written at the end of the file under a named mutex
/// all writers of that path share, with one write call.</remarks>
public sealed class JsonLinesSpanExporter : BaseExporter<Activity>
{
    /// <summary>The setting value that means standard output rather than a file.</summary>
    public const string Console = "console";

    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(5);

    private readonly FileStream? _file;
    private readonly Mutex? _writers;
    private readonly Lock _gate = new();

    /// <param name="target">A file path (appended to, created if missing) or <see cref="Console"/>.</param>
    public JsonLinesSpanExporter(string target)
    {
        if (string.Equals(target, Console, StringComparison.OrdinalIgnoreCase)) return;
        var full = Path.GetFullPath(target);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        // bufferSize 0: every batch is one write call, at the position set just before it.
        _file = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        var pathHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..24];
        _writers = new Mutex(initiallyOwned: false, $"scapi-traces-{pathHash}");
    }

    public override ExportResult Export(in Batch<Activity> batch)
    {
        var text = new StringBuilder();
        foreach (var activity in batch) text.Append(Line(activity)).Append('\n');
        if (text.Length == 0) return ExportResult.Success;
        try
        {
            lock (_gate)
            {
                if (_file is null)
                {
                    System.Console.Out.Write(text.ToString());
                    System.Console.Out.Flush();
                }
                else
                {
                    AppendShared(Encoding.UTF8.GetBytes(text.ToString()));
                }
            }
            return ExportResult.Success;
        }
        catch (IOException)
        {
            return ExportResult.Failure;
        }
    }

    private void AppendShared(byte[] bytes)
    {
        bool owned;
        try
        {
            owned = _writers!.WaitOne(LockWait);
        }
        catch (AbandonedMutexException)
        {
            // A writer died holding it; the mutex is ours now and the file as it left it.
            owned = true;
        }
        if (!owned) throw new IOException("Another process kept the trace file locked.");
        try
        {
            var file = _file!;
            file.Seek(0, SeekOrigin.End);
            file.Write(bytes);
        }
        finally
        {
            _writers!.ReleaseMutex();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _file?.Dispose();
            _writers?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>One span as a single-line JSON object.</summary>
    public static string Line(Activity activity)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("traceId", activity.TraceId.ToHexString());
            json.WriteString("spanId", activity.SpanId.ToHexString());
            if (activity.ParentSpanId != default) json.WriteString("parentSpanId", activity.ParentSpanId.ToHexString());
            else json.WriteNull("parentSpanId");
            json.WriteString("name", activity.DisplayName);
            json.WriteString("kind", activity.Kind.ToString());
            json.WriteString("source", activity.Source.Name);
            json.WriteString("start", activity.StartTimeUtc.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("duration", Math.Round(activity.Duration.TotalMilliseconds, 3));
            json.WriteStartObject("attributes");
            foreach (var (key, value) in activity.TagObjects) WriteValue(json, key, value);
            json.WriteEndObject();
            if (activity.Links.Any())
            {
                json.WriteStartArray("links");
                foreach (var link in activity.Links)
                {
                    json.WriteStartObject();
                    json.WriteString("traceId", link.Context.TraceId.ToHexString());
                    json.WriteString("spanId", link.Context.SpanId.ToHexString());
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteStartObject("status");
            json.WriteString("code", activity.Status switch
            {
                ActivityStatusCode.Ok => "Ok",
                ActivityStatusCode.Error => "Error",
                _ => "Unset",
            });
            if (!string.IsNullOrEmpty(activity.StatusDescription)) json.WriteString("description", activity.StatusDescription);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, string key, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNull(key);
                break;
            case bool b:
                json.WriteBoolean(key, b);
                break;
            case int or long or short or byte or uint or ulong or ushort:
                json.WriteNumber(key, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
            case double or float or decimal:
                json.WriteNumber(key, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                break;
            case string s:
                json.WriteString(key, s);
                break;
            case System.Collections.IEnumerable items:
                json.WriteStartArray(key);
                foreach (var item in items) json.WriteStringValue(Convert.ToString(item, CultureInfo.InvariantCulture));
                json.WriteEndArray();
                break;
            default:
                json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }
}
