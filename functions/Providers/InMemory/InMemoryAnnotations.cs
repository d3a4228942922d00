namespace ServerlessCapi.Providers.InMemory;

/// <summary>Failure injection: annotations on a DevMachine (or its Machine) that the DevMachine workflow
/// passes on to the in-memory cloud.</summary>
public static class InMemoryAnnotations
{
    /// <summary><c>"true"</c>: the VM fails when it would have booted (state Failed, no Node).</summary>
    public const string FailBoot = "infrastructure.cluster.x-k8s.io/fail-boot";

    /// <summary><c>"true"</c>: the VM's Node reports Ready=False; removing it makes the Node Ready again.</summary>
    public const string NodeNotReady = "infrastructure.cluster.x-k8s.io/node-not-ready";

    public static bool IsSet(IDictionary<string, string>? annotations, string key) =>
        annotations is not null && annotations.TryGetValue(key, out var v) && string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);
}
