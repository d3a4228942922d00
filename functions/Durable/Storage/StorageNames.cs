using System.Globalization;

namespace ServerlessCapi.Durable.Storage;

/// <summary>Every storage resource of a hub, named from the hub name.</summary>
internal sealed class StorageNames(string hub, int partitionCount)
{
    public string InstancesTable { get; } = $"{hub}Instances";
    public string WorkersTable { get; } = $"{hub}Workers";
    public string PoisonQueue { get; } = $"{hub}-control-poison";
    public string LeaseContainer { get; } = $"{hub}-leases";
    public string PayloadContainer { get; } = $"{hub}-payloads";
    public int PartitionCount { get; } = partitionCount;

    public string ControlQueue(int partition) => $"{hub}-control-{partition.ToString("00", CultureInfo.InvariantCulture)}";

    public static string PartitionLeaseBlob(int partition) => $"control-{partition.ToString("00", CultureInfo.InvariantCulture)}";

    public const string SweeperLeaseBlob = "sweeper";
}
