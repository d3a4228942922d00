using System.CommandLine;
using System.Globalization;

namespace ServerlessCapi.Cli;

/// <summary>A duration option that takes what people type: <c>90s</c>, <c>3m</c>, <c>1h</c>, <c>500ms</c> or
/// <c>00:03:00</c>.</summary>
internal static class DurationOption
{
    public static Option<TimeSpan> Create(string name, string description, TimeSpan fallback) =>
        new(name)
        {
            Description = $"{description} (e.g. 90s, 3m, 1h).",
            DefaultValueFactory = _ => fallback,
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (TryParse(text, out var value)) return value;
                result.AddError($"'{text}' is not a duration for {name}: use e.g. 90s, 3m, 1h or 00:03:00.");
                return fallback;
            },
        };

    public static bool TryParse(string text, out TimeSpan value)
    {
        text = text.Trim();
        (string Suffix, double Seconds)[] units = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)];
        foreach (var (suffix, seconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0)
            {
                value = TimeSpan.FromSeconds(n * seconds);
                return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}
