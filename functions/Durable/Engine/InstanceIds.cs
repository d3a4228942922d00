namespace ServerlessCapi.Durable.Engine;

/// <summary>Rules for instance ids (for example <c>Machine/3f1c…</c>).</summary>
internal static class InstanceIds
{
    public const int MaxLength = 256;

    public static void Validate(string instanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        if (instanceId.Length > MaxLength)
            throw new ArgumentException($"Instance id is longer than {MaxLength} characters.", nameof(instanceId));
        if (instanceId.Any(char.IsControl))
            throw new ArgumentException("Instance id contains control characters.", nameof(instanceId));
    }

    /// <summary>A stable partition for an instance (FNV-1a over UTF-16 code units; never change it: messages
    /// already queued depend on it).</summary>
    public static int PartitionOf(string instanceId, int partitionCount)
    {
        var hash = 2166136261u;
        foreach (var c in instanceId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (int)(hash % (uint)partitionCount);
    }
}
