using System.Security.Cryptography;
using System.Text;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>Deterministic addresses: the same VM id always gets the same 10.x.y.z.</summary>
public static class VmAddresses
{
    public static string InternalIp(string id)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(id));
        // Avoid .0 and .255 in the last octet so the address looks like a host address.
        return $"10.{hash[0]}.{hash[1]}.{1 + hash[2] % 254}";
    }

    public static IReadOnlyList<VmAddress> For(string id, string machineName) =>
    [
        new("InternalIP", InternalIp(id)),
        new("Hostname", machineName),
    ];
}
