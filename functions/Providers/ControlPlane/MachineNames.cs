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

    public static string For(string controlPlaneName, string controlPlaneUid, long ordinal)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{controlPlaneUid}/{ordinal}"));
        var suffix = new StringBuilder(SuffixLength);
        for (var i = 0; i < SuffixLength; i++) suffix.Append(Alphabet[hash[i] % Alphabet.Length]);
        var prefix = controlPlaneName.Length > 57 ? controlPlaneName[..57] : controlPlaneName;
        return $"{prefix}-{suffix}";
    }

    /// <summary>The first name from <paramref name="nextOrdinal"/> on that nothing uses yet, and the ordinal after it.</summary>
    public static (string Name, long NextOrdinal) Next(string controlPlaneName, string controlPlaneUid, long nextOrdinal, ISet<string> taken)
    {
        var ordinal = Math.Max(0, nextOrdinal);
        while (true)
        {
            var name = For(controlPlaneName, controlPlaneUid, ordinal);
            ordinal++;
            if (!taken.Contains(name)) return (name, ordinal);
        }
    }
}
