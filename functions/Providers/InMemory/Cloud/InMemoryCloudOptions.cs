namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>Settings of the in-memory cloud process (configuration section <c>InMemoryCloud</c>).</summary>
public sealed class InMemoryCloudOptions
{
    public const string Section = "InMemoryCloud";

    /// <summary>The API key callers send as <c>x-api-key</c> or a bearer token (<c>InMemoryCloud:Key</c>).</summary>
    public required string Key { get; init; }

    /// <summary>Azure Storage connection string for the VM and cluster records.</summary>
    public required string StorageConnectionString { get; init; }

    /// <summary>The table holding the records (tests give each run its own).</summary>
    public string TableName { get; init; } = "InMemoryCloud";

    /// <summary>Loopback port of the HTTP API (0 picks a free one).</summary>
    public int Port { get; init; }

    /// <summary>The clock VM states are read from.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How many Nodes the background loop writes at once.</summary>
    public int NodeParallelism { get; init; } = 8;

    /// <summary>How long the background loop waits at most before looking at its schedule again.</summary>
    public TimeSpan NodeLoopTick { get; init; } = TimeSpan.FromSeconds(1);
}
