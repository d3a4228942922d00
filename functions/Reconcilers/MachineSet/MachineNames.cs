using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>Deterministic Machine names: <c>&lt;set&gt;-&lt;5 characters&gt;</c> derived from the MachineSet's uid and
/// a creation index, so a retried step names the same Machines (create-or-get) and never creates extras.</summary>
/// <remarks>
/// The suffix is an affine permutation of the index modulo 36^5 keyed by the uid: distinct indexes never
/// collide within one MachineSet (for the first 60 million creations) and the names look as random as
/// CAPI's. The next index is reserved on the MachineSet (annotation <see cref="NextIndexAnnotation"/>,
/// fenced by resourceVersion) before any Machine is created, so an index is never used twice.
/// </remarks>
public static class MachineNames
{
    /// <summary>The annotation holding the next unused creation index of a MachineSet.</summary>
    public const string NextIndexAnnotation = "serverlesscapi.dev/next-machine-index";

    public const string DefaultTemplate = "{{ .machineSet.name }}-{{ .random }}";

    private const int SuffixLength = 5;
    private const long Space = 60_466_176; // 36^5
    private const int MaxNameLength = 63;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>The suffix for creation <paramref name="index"/> of the MachineSet with <paramref name="setUid"/>.</summary>
    public static string Suffix(string setUid, long index)
    {
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(setUid));
        // An odd multiplier that is not a multiple of 3 is coprime with 36^5, which makes the map a bijection.
        var multiplier = (long)(BitConverter.ToUInt32(key, 0) % Space);
        multiplier |= 1;
        while (multiplier % 3 == 0) multiplier += 2;
        var offset = (long)(BitConverter.ToUInt32(key, 4) % Space);
        var value = ((multiplier * (index % Space)) + offset) % Space; // < 2^52: no overflow
        var chars = new char[SuffixLength];
        for (var i = SuffixLength - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value % 36)];
            value /= 36;
        }
        return new string(chars);
    }

    /// <summary>The Machine name for creation <paramref name="index"/>, from <c>spec.machineNaming.template</c>
    /// (placeholders <c>{{ .machineSet.name }}</c>, <c>{{ .cluster.name }}</c>, <c>{{ .random }}</c>).</summary>
    public static string For(string setName, string setUid, string clusterName, long index, string? template = null)
    {
        template = string.IsNullOrWhiteSpace(template) ? DefaultTemplate : template;
        if (!template.Contains("{{ .random }}", StringComparison.Ordinal))
            throw new ArgumentException("machineNaming.template must contain {{ .random }}.", nameof(template));
        var suffix = Suffix(setUid, index);
        var prefix = template[..template.IndexOf("{{ .random }}", StringComparison.Ordinal)];
        var rest = template[(template.IndexOf("{{ .random }}", StringComparison.Ordinal) + "{{ .random }}".Length)..];
        string Fill(string part) => part
            .Replace("{{ .machineSet.name }}", setName, StringComparison.Ordinal)
            .Replace("{{ .cluster.name }}", clusterName, StringComparison.Ordinal);
        var head = Fill(prefix);
        var tail = Fill(rest);
        // Like CAPI, keep the random part and trim the rest to fit a DNS label.
        var budget = MaxNameLength - suffix.Length - tail.Length;
        if (head.Length > budget) head = head[..Math.Max(budget, 0)];
        return (head + suffix + tail).TrimEnd('-', '.');
    }

    /// <summary>The next creation index recorded on a MachineSet (0 when none is).</summary>
    public static long NextIndex(IDictionary<string, string>? annotations) =>
        annotations is not null && annotations.TryGetValue(NextIndexAnnotation, out var text)
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : 0;
}
