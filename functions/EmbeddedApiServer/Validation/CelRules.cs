using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>Runs x-kubernetes-validations rules (CEL) the way kube-apiserver does: <c>self</c> is the value the rule
/// sits on, <c>oldSelf</c> the stored value on update; a rule that names <c>oldSelf</c> (a transition rule) runs only
/// when an old value exists.</summary>
/// <remarks>
/// The Cel package evaluates the standard language and macros CAPI's rules use (has, size, all, exists, exists_one,
/// filter, map, in, matches, startsWith/endsWith/contains, ternaries, equality of maps and lists). The Kubernetes
/// library functions below are written here by hand because the package does not ship them: lowerAscii, upperAscii,
/// trim, substring, split, join, indexOf and isSemver (the semver library's check, strict major.minor.patch). Not provided:
/// quantity, url, ip and cidr libraries, optional types (so optionalOldSelf rules run only on update, like plain
/// transition rules) and cost limits.
/// </remarks>
public static partial class CelRules
{
    private static readonly CelEnvironment Environment = CreateEnvironment();
    private static readonly ConcurrentDictionary<string, CelProgramDelegate> Programs = new(StringComparer.Ordinal);
    private static readonly Lock CompileGate = new();

    /// <summary>Compiles a rule; returns the compiler's message when it does not compile, else null.</summary>
    public static string? CompileError(string rule)
    {
        try
        {
            Compile(rule);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e.Message;
        }
    }

    internal static void Evaluate(JsonObject schema, JsonArray validations, JsonNode? self, JsonNode? old, bool hasOld,
        string path, List<FieldError> errors)
    {
        object? selfValue = null;
        object? oldValue = null;
        var converted = false;
        foreach (var v in validations.OfType<JsonObject>())
        {
            if (SchemaValidator.Str(v, "rule") is not { Length: > 0 } rule) continue;
            if (OldSelf().IsMatch(rule) && !hasOld) continue;
            if (!converted)
            {
                selfValue = ToCel(self);
                oldValue = hasOld ? ToCel(old) : null;
                converted = true;
            }
            var vars = new Dictionary<string, object?> { ["self"] = selfValue };
            if (hasOld) vars["oldSelf"] = oldValue;
            var relative = SchemaValidator.Str(v, "fieldPath");
            var field = FieldPath(path, relative);
            string? failure;
            try
            {
                failure = Compile(rule).Invoke(vars) is true ? null : Message(v, rule, vars);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                errors.Add(Invalid(field, self, relative, $"{e.Message} evaluating rule: {rule}"));
                continue;
            }
            if (failure is null) continue;
            errors.Add(SchemaValidator.Str(v, "reason") switch
            {
                "FieldValueRequired" => FieldError.Required(field, failure),
                "FieldValueForbidden" => FieldError.Forbidden(field, failure),
                "FieldValueDuplicate" => new FieldError(FieldErrorType.Duplicate, field, Value: failure),
                _ => Invalid(field, self, relative, failure),
            });
        }
    }

    /// <summary>As kube-apiserver v1.36 words a failed rule: the value is shown only when the rule sits on a string,
    /// number or boolean and reports on that value itself (no fieldPath); objects, lists and fieldPath rules show none.</summary>
    private static FieldError Invalid(string field, JsonNode? self, string? relative, string detail) =>
        string.IsNullOrEmpty(relative) && self is JsonValue
            ? FieldError.Invalid(field, self.DeepClone(), detail)
            : FieldError.InvalidWithoutValue(field, detail);

    private static string Message(JsonObject v, string rule, Dictionary<string, object?> vars)
    {
        if (SchemaValidator.Str(v, "messageExpression") is { Length: > 0 } expression)
        {
            try
            {
                if (Compile(expression).Invoke(vars) is string { Length: > 0 } text) return text;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // kube-apiserver falls back to the static message when messageExpression fails.
            }
        }
        return SchemaValidator.Str(v, "message") is { Length: > 0 } message ? message : $"failed rule: {rule}";
    }

    private static string FieldPath(string path, string? relative)
    {
        if (string.IsNullOrEmpty(relative)) return path;
        var tail = relative.TrimStart('.');
        return path.Length == 0 ? tail : $"{path}.{tail}";
    }

    private static CelProgramDelegate Compile(string rule)
    {
        if (Programs.TryGetValue(rule, out var program)) return program;
        lock (CompileGate)
        {
            program = Environment.Compile(rule);
            Programs[rule] = program;
            return program;
        }
    }

    /// <summary>JSON into the values the Cel package evaluates: maps, lists, strings, int64, double, bool.</summary>
    internal static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToCel(p.Value)),
        JsonArray a => a.Select(ToCel).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => SchemaValidator.Number(v) is { } d && Math.Floor(d) == d && Math.Abs(d) < 9e15 ? (long)d : SchemaValidator.Number(v),
            _ => null,
        },
        _ => null,
    };

    private static CelEnvironment CreateEnvironment()
    {
        var env = new CelEnvironment(null, null);
        env.RegisterFunction("lowerAscii", [typeof(string)], a => ((string)a[0]!).ToLowerInvariant());
        env.RegisterFunction("upperAscii", [typeof(string)], a => ((string)a[0]!).ToUpperInvariant());
        env.RegisterFunction("trim", [typeof(string)], a => ((string)a[0]!).Trim());
        env.RegisterFunction("substring", [typeof(string), typeof(long)], a => ((string)a[0]!)[(int)(long)a[1]!..]);
        env.RegisterFunction("substring", [typeof(string), typeof(long), typeof(long)], a => ((string)a[0]!)[(int)(long)a[1]!..(int)(long)a[2]!]);
        env.RegisterFunction("indexOf", [typeof(string), typeof(string)], a => (long)((string)a[0]!).IndexOf((string)a[1]!, StringComparison.Ordinal));
        env.RegisterFunction("split", [typeof(string), typeof(string)], a => ((string)a[0]!).Split((string)a[1]!).Cast<object?>().ToList());
        env.RegisterFunction("join", [typeof(object[])], a => string.Join("", ((IEnumerable<object?>)a[0]!).Select(x => x?.ToString())));
        env.RegisterFunction("join", [typeof(object[]), typeof(string)], a => string.Join((string)a[1]!, ((IEnumerable<object?>)a[0]!).Select(x => x?.ToString())));
        env.RegisterFunction("isSemver", [typeof(string)], a => Semver().IsMatch((string)a[0]!));
        return env;
    }

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();

    [GeneratedRegex(@"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex Semver();
}
