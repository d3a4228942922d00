using System.Diagnostics;
using System.Text.Json.Nodes;
using OpenTelemetry;
using ServerlessCapi.Functions.Observability;

namespace ServerlessCapi.Functions.Tests.Observability;

/// <summary>The trace file several app processes share (<c>up --instances K --traces FILE</c>).</summary>
public sealed class JsonLinesSpanExporterTests
{
    [Fact]
    public async Task Writers_sharing_a_file_append_whole_lines_and_none_overwrites_another_s()
    {
        var file = Path.Combine(Path.GetTempPath(), $"scapi-shared-{Guid.NewGuid():N}.jsonl");
        try
        {
            // Each writer opens the file before the other writes, as two app processes do: a writer that kept the end
            // position it opened at would overwrite the other's lines.
            using var first = new JsonLinesSpanExporter(file);
            using var second = new JsonLinesSpanExporter(file);
            const int batches = 100;
            const int perBatch = 5;
            await Task.WhenAll(
                Task.Run(() => Write(first, "first", batches, perBatch)),
                Task.Run(() => Write(second, "second", batches, perBatch)));

            var lines = await File.ReadAllLinesAsync(file);
            lines.Length.ShouldBe(2 * batches * perBatch);
            var names = lines.Select(l => JsonNode.Parse(l)!["name"]!.GetValue<string>()).ToList();
            names.Count(n => n == "first").ShouldBe(batches * perBatch);
            names.Count(n => n == "second").ShouldBe(batches * perBatch);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void Write(JsonLinesSpanExporter exporter, string name, int batches, int perBatch)
    {
        for (var b = 0; b < batches; b++)
        {
            var spans = Enumerable.Range(0, perBatch).Select(_ =>
            {
                var span = new Activity(name).Start();
                span.Stop();
                return span;
            }).ToArray();
            exporter.Export(new Batch<Activity>(spans, spans.Length)).ShouldBe(ExportResult.Success);
            foreach (var span in spans) span.Dispose();
        }
    }
}
