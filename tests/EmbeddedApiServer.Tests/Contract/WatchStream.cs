using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Reads a raw watch stream (newline-delimited JSON events) until a condition or its end.</summary>
internal static class WatchStream
{
    public static async Task<List<JsonObject>> ReadAsync(HttpClient http, string path, Func<List<JsonObject>, bool> enough, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
        response.IsSuccessStatusCode.ShouldBeTrue($"watch {path} returned {(int)response.StatusCode}");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        var events = new List<JsonObject>();
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.Length == 0) continue;
                events.Add((JsonObject)JsonNode.Parse(line)!);
                if (enough(events)) break;
            }
        }
        catch (OperationCanceledException)
        {
            // Timed out: the caller asserts on what arrived.
        }
        return events;
    }

    public static string Type(this JsonObject e) => e["type"]!.GetValue<string>();

    public static string? Name(this JsonObject e) => e["object"]?["metadata"]?["name"]?.GetValue<string>();
}
