using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Storage;

/// <summary>Maps the engine's rows to table entities. Long strings are split across properties (a table string
/// property holds at most 32K characters; an entity 1 MiB), so state stays in the same atomic row.</summary>
internal static class EntityCodec
{
    private const int ChunkChars = 30_000;

    /// <summary>The instance row, carrying the instance's dedup memory (so a step reads one row by its keys).</summary>
    public static TableEntity ToEntity(InstanceRecord r, IReadOnlyList<DedupBlock> dedup)
    {
        var e = ToEntity(r);
        e["DedupInRow"] = true;
        WriteLarge(e, "Dedup", JsonSerializer.Serialize(dedup, ControlMessageJson.Options));
        return e;
    }

    /// <summary>The dedup memory kept in the instance row; null for a row written before it moved there.</summary>
    public static IReadOnlyList<DedupBlock>? DedupOf(TableEntity e) =>
        e.GetBoolean("DedupInRow") == true
            ? JsonSerializer.Deserialize<List<DedupBlock>>(ReadLarge(e, "Dedup") ?? "[]", ControlMessageJson.Options) ?? []
            : null;

    public static TableEntity ToEntity(InstanceRecord r)
    {
        var e = new TableEntity(InstanceKeys.PartitionKey(r.InstanceId), InstanceKeys.InstanceRow)
        {
            ["InstanceId"] = r.InstanceId,
            ["WorkflowName"] = r.WorkflowName,
            ["RuntimeStatus"] = r.Status.ToString(),
            ["CreatedAt"] = r.CreatedAt,
            ["UpdatedAt"] = r.UpdatedAt,
            ["TimerGeneration"] = r.TimerGeneration,
            ["TimerIsRetry"] = r.TimerIsRetry,
            ["FailedAttempts"] = r.FailedAttempts,
            ["Version"] = r.Version,
            ["HistoryFirst"] = r.HistoryFirst,
            ["HistoryNext"] = r.HistoryNext,
        };
        if (r.SuspendedFrom is { } from) e["SuspendedFrom"] = from.ToString();
        if (r.NextTimerAt is { } t) e["NextTimerAt"] = t;
        if (r.ArmedTimerAt is { } armed)
        {
            e["ArmedTimerAt"] = armed;
            e["ArmedGeneration"] = r.ArmedGeneration;
        }
        if (r.LastError is { } err) e["LastError"] = StepPlanner.Truncate(err, ChunkChars);
        WriteLarge(e, "State", r.State);
        WriteLarge(e, "Input", r.Input);
        WriteLarge(e, "CustomStatus", r.CustomStatus);
        if (r.PendingEvents.Count > 0) WriteLarge(e, "PendingEvents", JsonSerializer.Serialize(r.PendingEvents, ControlMessageJson.Options));
        return e;
    }

    public static InstanceRecord ToRecord(TableEntity e)
    {
        var pending = ReadLarge(e, "PendingEvents");
        return new InstanceRecord
        {
            InstanceId = e.GetString("InstanceId") ?? InstanceKeys.InstanceId(e.PartitionKey),
            WorkflowName = e.GetString("WorkflowName") ?? "",
            Status = Enum.Parse<RuntimeStatus>(e.GetString("RuntimeStatus") ?? nameof(RuntimeStatus.Pending)),
            SuspendedFrom = e.GetString("SuspendedFrom") is { } s ? Enum.Parse<RuntimeStatus>(s) : null,
            State = ReadLarge(e, "State"),
            Input = ReadLarge(e, "Input"),
            CustomStatus = ReadLarge(e, "CustomStatus"),
            CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
            UpdatedAt = e.GetDateTimeOffset("UpdatedAt") ?? default,
            NextTimerAt = e.GetDateTimeOffset("NextTimerAt"),
            TimerGeneration = e.GetInt64("TimerGeneration") ?? 0,
            TimerIsRetry = e.GetBoolean("TimerIsRetry") ?? false,
            ArmedTimerAt = e.GetDateTimeOffset("ArmedTimerAt"),
            ArmedGeneration = e.GetInt64("ArmedGeneration") ?? 0,
            FailedAttempts = e.GetInt32("FailedAttempts") ?? 0,
            LastError = e.GetString("LastError"),
            Version = e.GetInt64("Version") ?? 0,
            HistoryFirst = e.GetInt64("HistoryFirst") ?? 0,
            HistoryNext = e.GetInt64("HistoryNext") ?? 0,
            PendingEvents = pending is null ? [] : JsonSerializer.Deserialize<List<WorkflowEvent>>(pending, ControlMessageJson.Options) ?? [],
        };
    }

    public static DedupBlock ToDedup(TableEntity e) => new(
        InstanceKeys.ParseNumber(e.RowKey, InstanceKeys.DedupPrefix),
        e.GetDateTimeOffset("At") ?? default,
        JsonSerializer.Deserialize<List<string>>(ReadLarge(e, "Ids") ?? "[]", ControlMessageJson.Options) ?? []);

    public static TableEntity ToEntity(string pk, OutboxBlock o)
    {
        var e = new TableEntity(pk, InstanceKeys.OutboxRow(o.Version)) { ["At"] = o.At, ["InstanceId"] = o.InstanceId };
        WriteLarge(e, "Messages", JsonSerializer.Serialize(o.Messages, ControlMessageJson.Options));
        return e;
    }

    public static OutboxBlock ToOutbox(TableEntity e) => new(
        e.GetString("InstanceId") ?? InstanceKeys.InstanceId(e.PartitionKey),
        InstanceKeys.ParseNumber(e.RowKey, InstanceKeys.OutboxPrefix),
        e.GetDateTimeOffset("At") ?? default,
        JsonSerializer.Deserialize<List<ControlMessage>>(ReadLarge(e, "Messages") ?? "[]", ControlMessageJson.Options) ?? []);

    public static TableEntity ToEntity(string pk, HistoryRow h) => new(pk, InstanceKeys.HistoryRow(h.Sequence))
    {
        ["Time"] = h.Entry.Time,
        ["Event"] = h.Entry.Event,
        ["FromStatus"] = h.Entry.FromStatus,
        ["ToStatus"] = h.Entry.ToStatus,
        ["Note"] = h.Entry.Note is null ? null : StepPlanner.Truncate(h.Entry.Note, ChunkChars),
    };

    public static HistoryEntry ToHistory(TableEntity e) => new(
        e.GetDateTimeOffset("Time") ?? default, e.GetString("Event") ?? "", e.GetString("FromStatus"), e.GetString("ToStatus"), e.GetString("Note"));

    private static void WriteLarge(TableEntity e, string name, string? value)
    {
        if (value is null) return;
        if (value.Length <= ChunkChars)
        {
            e[name] = value;
            return;
        }
        var chunks = (value.Length + ChunkChars - 1) / ChunkChars;
        e[name + "_Chunks"] = chunks;
        for (var i = 0; i < chunks; i++)
        {
            var part = value.Substring(i * ChunkChars, Math.Min(ChunkChars, value.Length - (i * ChunkChars)));
            e[i == 0 ? name : $"{name}_{i.ToString(CultureInfo.InvariantCulture)}"] = part;
        }
    }

    private static string? ReadLarge(TableEntity e, string name)
    {
        var first = e.GetString(name);
        if (first is null || e.GetInt32(name + "_Chunks") is not { } chunks) return first;
        var sb = new StringBuilder(first, chunks * ChunkChars);
        for (var i = 1; i < chunks; i++) sb.Append(e.GetString($"{name}_{i.ToString(CultureInfo.InvariantCulture)}"));
        return sb.ToString();
    }
}
