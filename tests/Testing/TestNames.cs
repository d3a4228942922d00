using System.Security.Cryptography;

namespace ServerlessCapi.Testing;

/// <summary>Unique, storage- and Kubernetes-safe names so tests sharing one emulator never collide.</summary>
public static class TestNames
{
    /// <summary>A lowercase alphanumeric prefix (valid for tables, queues, containers and namespaces).</summary>
    public static string Unique(string stem = "t")
    {
        var suffix = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
        return $"{stem.ToLowerInvariant()}{suffix}";
    }
}
