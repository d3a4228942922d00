using System.Globalization;

namespace ServerlessCapi.Api;

/// <summary>Parses and formats Go duration strings (<c>"1h2m3.5s"</c>, <c>"300ms"</c>) as CAPI writes them.</summary>
public static class GoDuration
{
    private static readonly (string Unit, double Ticks)[] Units =
    [
        ("ns", TimeSpan.TicksPerMillisecond / 1_000_000.0),
        ("us", TimeSpan.TicksPerMillisecond / 1_000.0),
        ("µs", TimeSpan.TicksPerMillisecond / 1_000.0),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
        ("h", TimeSpan.TicksPerHour),
    ];

    public static TimeSpan Parse(string value) =>
        TryParse(value, out var result) ? result : throw new FormatException($"Invalid duration '{value}'.");

    public static bool TryParse(string? value, out TimeSpan result)
    {
        result = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(value))
            return false;
        var s = value.Trim();
        var sign = 1;
        if (s[0] is '-' or '+')
        {
            sign = s[0] == '-' ? -1 : 1;
            s = s[1..];
        }
        if (s == "0")
            return true;
        double ticks = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
                i++;
            if (i == start || !double.TryParse(s.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                return false;
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.')
                i++;
            var unit = s[unitStart..i];
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0)
                return false;
            ticks += number * Units[match].Ticks;
        }
        result = TimeSpan.FromTicks((long)Math.Round(sign * ticks));
        return true;
    }

    /// <summary>Formats like Go's <c>time.Duration.String()</c> for whole milliseconds and above.</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
            return "0s";
        var sign = value < TimeSpan.Zero ? "-" : "";
        value = value.Duration();
        if (value < TimeSpan.FromSeconds(1))
            return sign + value.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
        var hours = (long)value.TotalHours;
        var seconds = (value - TimeSpan.FromHours(hours)).TotalSeconds;
        var minutes = (long)(seconds / 60);
        seconds -= minutes * 60;
        var text = seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        if (hours > 0)
            return $"{sign}{hours}h{minutes}m{text}";
        return minutes > 0 ? $"{sign}{minutes}m{text}" : sign + text;
    }
}
