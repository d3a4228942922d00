using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;

namespace ServerlessCapi.Api.Tests;

/// <summary>Parses and evaluates the CEL rules of the CRDs with the Cel package: the core language and macros
/// (<c>all</c>, <c>exists_one</c>, <c>filter</c>, <c>has</c>, <c>size</c>, <c>matches</c>, <c>in</c>), not the
/// Kubernetes libraries (<c>isSemver</c>, <c>quantity</c>, <c>format</c>…), whose calls fail at evaluation.</summary>
internal static class CelRules
{
    private static readonly Lock Gate = new();
    private static readonly CelEnvironment Environment = new([], null);
    private static readonly ConcurrentDictionary<string, CelProgramDelegate> Programs = new(StringComparer.Ordinal);

    /// <summary>The compiled rule; throws when the rule does not parse.</summary>
    public static CelProgramDelegate Compile(string rule) => Programs.GetOrAdd(rule, r =>
    {
        lock (Gate)
            return Environment.Compile(r);
    });

    /// <summary>Evaluates <paramref name="rule"/> with <c>self</c> (and, for transition rules, <c>oldSelf</c>) bound
    /// to the given values; true when the rule holds.</summary>
    public static bool Holds(string rule, JsonNode? self, JsonNode? oldSelf = null)
    {
        var variables = new Dictionary<string, object?> { ["self"] = ToCel(self) };
        if (oldSelf is not null)
            variables["oldSelf"] = ToCel(oldSelf);
        return Compile(rule).Invoke(variables) is true;
    }

    /// <summary>A JSON value as the CEL runtime's values: maps, lists, strings, 64-bit integers, doubles, booleans.</summary>
    public static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToCel(p.Value), StringComparer.Ordinal),
        JsonArray a => a.Select(ToCel).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when v.TryGetValue<long>(out var l) => l,
            JsonValueKind.Number => v.GetValue<double>(),
            _ => null,
        },
        _ => null,
    };
}
