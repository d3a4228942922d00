using System.Security.Cryptography;
using System.Text;

namespace ServerlessCapi.Providers.ControlPlane;

/// <summary>Deterministic, collision-free names for control-plane Machines: <c>&lt;kcp&gt;-&lt;suffix&gt;</c>.</summary>
/// <remarks>The suffix is derived from the control plane's uid and an ordinal the control plane counts up
/// (like CAPI's random five characters, but repeatable): a retried step computes the same name, and
/// create-or-get by that name never makes a second Machine.</remarks>
public static class MachineNames
{
    /// <summary>The characters Kubernetes' name generator uses (no vowels, no look-alikes).</summary>
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int SuffixLength = 5;

    private const string Random = "{{ .random }}";

    /// <summary>A name from <c>spec.machineNaming.template</c> (variables <c>{{ .kubeadmControlPlane.name }}</c>,
    /// <c>{{ .cluster.name }}</c>, <c>{{ .random }}</c>; default <c>{{ .kubeadmControlPlane.name }}-{{ .random }}</c>),
    /// the random part being this ordinal's suffix. The parts around it are cut to keep the name within 63 characters.</summary>
    public static string For(string controlPlaneName, string controlPlaneUid, long ordinal, string? template = null, string clusterName = "")
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{controlPlaneUid}/{ordinal}"));
        var suffix = new StringBuilder(SuffixLength);
        for (var i = 0; i < SuffixLength; i++) suffix.Append(Alphabet[hash[i] % Alphabet.Length]);
        if (string.IsNullOrWhiteSpace(template) || !template.Contains(Random, StringComparison.Ordinal))
        {
            // The webhook refuses a template without the random part; the default is what is left.
            var prefix = controlPlaneName.Length > 57 ? controlPlaneName[..57] : controlPlaneName;
            return $"{prefix}-{suffix}";
        }
        var at = template.IndexOf(Random, StringComparison.Ordinal);
        string Fill(string part) => part
            .Replace("{{ .kubeadmControlPlane.name }}", controlPlaneName, StringComparison.Ordinal)
            .Replace("{{ .cluster.name }}", clusterName, StringComparison.Ordinal);
        var head = Fill(template[..at]);
        var tail = Fill(template[(at + Random.Length)..]);
        var budget = 63 - SuffixLength - tail.Length;
        if (head.Length > budget) head = head[..Math.Max(budget, 0)];
        if (tail.Length > 63 - SuffixLength) tail = tail[..(63 - SuffixLength)];
        return (head + suffix + tail).TrimEnd('-', '.');
    }

    /// <summary>The first name from <paramref name="nextOrdinal"/> on that nothing uses yet, and the ordinal after it.</summary>
    public static (string Name, long NextOrdinal) Next(string controlPlaneName, string controlPlaneUid, long nextOrdinal, ISet<string> taken,
        string? template = null, string clusterName = "")
    {
        var ordinal = Math.Max(0, nextOrdinal);
        while (true)
        {
            var name = For(controlPlaneName, controlPlaneUid, ordinal, template, clusterName);
            ordinal++;
            if (!taken.Contains(name)) return (name, ordinal);
        }
    }
}
