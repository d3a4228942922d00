using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>cloud-init's <c>disk_setup</c> (one entry per device) and <c>fs_setup</c> (one per file system) from a
/// KubeadmConfig's diskSetup, with CAPI's partition type names turned into the MBR type codes cloud-init takes.</summary>
public static class CloudInitDisks
{
    public static JsonObject? DiskSetup(DiskSetup? setup)
    {
        if (setup?.Partitions is not { Count: > 0 } partitions)
            return null;
        var devices = new JsonObject();
        foreach (var partition in partitions)
        {
            var node = new JsonObject();
            if (partition.TableType is { Length: > 0 } table) node["table_type"] = table;
            if (partition.DiskLayout is { Count: > 0 } layout)
            {
                node["layout"] = new JsonArray(layout.Select(l => l.PartitionType is { Length: > 0 } type
                    ? (JsonNode)new JsonArray(l.Percentage, PartitionTypeCode(type))
                    : JsonValue.Create(l.Percentage)).ToArray());
            }
            else
            {
                node["layout"] = partition.Layout ?? false;
            }
            if (partition.Overwrite == true) node["overwrite"] = true;
            devices[partition.Device] = node;
        }
        return devices;
    }

    public static JsonArray? FsSetup(DiskSetup? setup)
    {
        if (setup?.Filesystems is not { Count: > 0 } filesystems)
            return null;
        return new JsonArray(filesystems.Select(fs =>
        {
            var node = new JsonObject
            {
                ["label"] = fs.Label ?? "",
                ["filesystem"] = fs.FileSystem,
                ["device"] = fs.Device,
            };
            if (fs.Partition is { Length: > 0 } partition) node["partition"] = partition;
            if (fs.Overwrite == true) node["overwrite"] = true;
            if (fs.ReplaceFs is { Length: > 0 } replace) node["replace_fs"] = replace;
            if (fs.ExtraOpts is { Count: > 0 } opts) node["extra_opts"] = new JsonArray(opts.Select(o => (JsonNode)o).ToArray());
            return (JsonNode)node;
        }).ToArray());
    }

    /// <summary>The MBR type code cloud-init expects for CAPI's partition type names; anything else (a GPT GUID, a raw
    /// code) passes through.</summary>
    public static string PartitionTypeCode(string type) => type switch
    {
        "Linux" => "83",
        "LinuxSwap" => "82",
        "LinuxRAID" => "fd",
        "LVM" => "8e",
        "Fat32" => "0c",
        "NTFS" => "07",
        "LinuxExtended" => "85",
        _ => type,
    };
}
