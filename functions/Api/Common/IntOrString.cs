using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>An integer or a string such as <c>"25%"</c> (Kubernetes intstr), e.g. maxSurge.</summary>
[JsonConverter(typeof(IntOrStringJsonConverter))]
public sealed record IntOrString
{
    private IntOrString(int? intValue, string? stringValue)
    {
        IntValue = intValue;
        StringValue = stringValue;
    }

    public int? IntValue { get; }

    public string? StringValue { get; }

    public bool IsInt => IntValue is not null;

    public static IntOrString FromInt(int value) => new(value, null);

    public static IntOrString FromString(string value) => new(null, value ?? throw new ArgumentNullException(nameof(value)));

    public static implicit operator IntOrString(int value) => FromInt(value);

    public static implicit operator IntOrString(string value) => FromString(value);

    /// <summary>The absolute value against <paramref name="total"/>: an integer as is, a percentage of the
    /// total rounded up or down. Throws <see cref="FormatException"/> for a string that is no percentage.</summary>
    public int GetScaledValue(int total, bool roundUp)
    {
        if (TryGetScaledValue(total, roundUp, out var value))
            return value;
        throw new FormatException($"Invalid value '{StringValue}': an integer or a percentage like \"25%\" is expected.");
    }

    /// <summary>As <see cref="GetScaledValue"/>, false for a string that is no percentage.</summary>
    public bool TryGetScaledValue(int total, bool roundUp, out int value)
    {
        if (IntValue is { } i)
        {
            value = i;
            return true;
        }
        value = 0;
        var s = StringValue!;
        if (!s.EndsWith('%') || !int.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var percent))
            return false;
        var scaled = (decimal)percent * total / 100m;
        value = (int)(roundUp ? Math.Ceiling(scaled) : Math.Floor(scaled));
        return true;
    }

    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue!;
}

/// <summary>Writes an <see cref="IntOrString"/> as a JSON number or string.</summary>
public sealed class IntOrStringJsonConverter : JsonConverter<IntOrString>
{
    public override IntOrString? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => IntOrString.FromInt(reader.GetInt32()),
            JsonTokenType.String => IntOrString.FromString(reader.GetString()!),
            JsonTokenType.Null => null,
            _ => throw new JsonException($"Expected a number or a string for an int-or-string, got {reader.TokenType}."),
        };

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IntValue is { } i)
            writer.WriteNumberValue(i);
        else
            writer.WriteStringValue(value.StringValue);
    }
}
