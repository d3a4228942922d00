using Cronos;

namespace ServerlessCapi.Functions.Timers;

/// <summary>A six-field CRON schedule (seconds first, as Azure Functions uses), evaluated in UTC.</summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string text, CronExpression expression)
    {
        Text = text;
        _expression = expression;
    }

    public string Text { get; }

    public static CronSchedule Parse(string text)
    {
        if (text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
            throw new FormatException($"'{text}' is not a six-field CRON expression (second minute hour day month day-of-week).");
        return new CronSchedule(text, CronExpression.Parse(text, CronFormat.IncludeSeconds));
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset Next(DateTimeOffset after) =>
        _expression.GetNextOccurrence(after, TimeZoneInfo.Utc)
        ?? throw new InvalidOperationException($"The schedule '{Text}' has no occurrence after {after:O}.");

    public override string ToString() => Text;
}
