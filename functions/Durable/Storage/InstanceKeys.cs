using System.Globalization;
using System.Text;

namespace ServerlessCapi.Durable.Storage;

/// <summary>Table keys of an instance's rows. All rows of one instance share its partition, so a step's writes are
/// one entity-group transaction.</summary>
internal static class InstanceKeys
{
    public const string InstanceRow = "instance";
    public const string DedupPrefix = "msg:";
    public const string OutboxPrefix = "outbox:";
    public const string HistoryPrefix = "~history:";

    /// <summary>One past every dedup key (':' + 1 = ';'), so "instance" ≤ key &lt; this reads the row and its dedup blocks.</summary>
    public const string DedupEnd = "msg;";
    public const string OutboxEnd = "outbox;";
    public const string HistoryEnd = "~history;";

    public static string OutboxRow(long version) => OutboxPrefix + Number(version);
    public static string HistoryRow(long sequence) => HistoryPrefix + Number(sequence);

    public static long ParseNumber(string rowKey, string prefix) => long.Parse(rowKey.AsSpan(prefix.Length), CultureInfo.InvariantCulture);

    private static string Number(long n) => n.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Escapes an instance id into a PartitionKey: table keys may not contain / \ # ? or control characters.
    /// Escaping is per character, so it preserves prefixes (listing by id prefix becomes a key range).</summary>
    public static string PartitionKey(string instanceId)
    {
        var sb = new StringBuilder(instanceId.Length + 8);
        foreach (var c in instanceId)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
                sb.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    public static string InstanceId(string partitionKey)
    {
        if (!partitionKey.Contains('%', StringComparison.Ordinal)) return partitionKey;
        var sb = new StringBuilder(partitionKey.Length);
        for (var i = 0; i < partitionKey.Length; i++)
        {
            if (partitionKey[i] == '%' && i + 2 < partitionKey.Length)
            {
                sb.Append((char)int.Parse(partitionKey.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                sb.Append(partitionKey[i]);
            }
        }
        return sb.ToString();
    }

    /// <summary>The smallest key greater than every key starting with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);
}
