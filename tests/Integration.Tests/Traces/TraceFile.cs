using System.Text.Json.Nodes;

namespace ServerlessCapi.Integration.Tests.Traces;

/// <summary>The spans an app wrote as JSON lines (<c>Telemetry:Traces</c>), indexed for following a trace.</summary>
internal sealed class TraceFile
{
    private TraceFile(IReadOnlyList<Span> spans)
    {
        Spans = spans;
        ById = spans.GroupBy(s => (s.TraceId, s.SpanId)).ToDictionary(g => g.Key, g => g.First());
    }

    public IReadOnlyList<Span> Spans { get; }

    public IReadOnlyDictionary<(string TraceId, string SpanId), Span> ById { get; }

    /// <summary>Reads the complete lines written so far (a batch still being appended is left for the next read).</summary>
    public static TraceFile Read(string path)
    {
        if (!File.Exists(path)) return new TraceFile([]);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var text = new StreamReader(stream).ReadToEnd();
        var complete = text.LastIndexOf('\n') is var end and >= 0 ? text[..end] : "";
        return new TraceFile([.. complete.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Span.Parse)]);
    }

    /// <summary>The span's parent in the same trace, or null for a root (or a parent not written yet).</summary>
    public Span? ParentOf(Span span) =>
        span.ParentSpanId is { } parent && ById.TryGetValue((span.TraceId, parent), out var p) ? p : null;

    /// <summary>The span's ancestors, nearest first.</summary>
    public IEnumerable<Span> AncestorsOf(Span span)
    {
        for (var p = ParentOf(span); p is not null; p = ParentOf(p)) yield return p;
    }
}

internal sealed record Span(string TraceId, string SpanId, string? ParentSpanId, string Name, JsonObject Attributes, string Status, string Line)
{
    public static Span Parse(string line)
    {
        var json = JsonNode.Parse(line)!.AsObject();
        return new Span(json["traceId"]!.GetValue<string>(), json["spanId"]!.GetValue<string>(), json["parentSpanId"]?.GetValue<string>(),
            json["name"]!.GetValue<string>(), json["attributes"]!.AsObject(), json["status"]!["code"]!.GetValue<string>(), line);
    }

    public string? Attribute(string key) => Attributes[key]?.ToString();

    public bool IsObject(string kind, string name) => Attribute("scapi.kind") == kind && Attribute("scapi.name") == name;
}
