using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Api;

/// <summary>Names of the objects a topology creates, as CAPI makes them: a class's naming template (Go template
/// syntax over <c>.cluster.name</c>, <c>.random</c> and the worker topology's name) or a prefix plus five random
/// characters; names longer than 63 characters are cut and given a fresh random tail.</summary>
public static partial class TopologyNames
{
    private const int MaxLength = 63;
    private const int RandomLength = 5;

    /// <summary>The alphabet of Kubernetes' random name suffixes (no vowels, no confusable characters).</summary>
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public const string DefaultObjectTemplate = "{{ .cluster.name }}-{{ .random }}";
    public const string DefaultMachineDeploymentTemplate = "{{ .cluster.name }}-{{ .machineDeployment.topologyName }}-{{ .random }}";

    [GeneratedRegex(@"\{\{-?\s*\.([A-Za-z0-9_.]+)\s*-?\}\}")]
    private static partial Regex FieldReference();

    [GeneratedRegex(@"\{\{|\}\}")]
    private static partial Regex Delimiter();

    public static string Random()
    {
        Span<char> chars = stackalloc char[RandomLength];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(chars);
    }

    /// <summary>A name from a prefix (CAPI's simple generator): the prefix cut to leave room for the random tail.</summary>
    public static string FromPrefix(string prefix) =>
        (prefix.Length > MaxLength - RandomLength ? prefix[..(MaxLength - RandomLength)] : prefix) + Random();

    /// <summary>Renders a naming template; an unknown field or anything but field references is an error, as Go's
    /// <c>missingkey=error</c> makes it.</summary>
    public static string Render(string template, string clusterName, string? machineDeploymentTopology = null, string? machinePoolTopology = null)
    {
        if (!TryRender(template, clusterName, machineDeploymentTopology, machinePoolTopology, out var name, out var error))
            throw new InvalidOperationException(error);
        return name;
    }

    /// <summary>Renders a naming template, or says why it cannot be rendered.</summary>
    public static bool TryRender(string template, string clusterName, string? machineDeploymentTopology, string? machinePoolTopology,
        out string name, out string error)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["cluster.name"] = clusterName,
            ["random"] = Random(),
        };
        if (machineDeploymentTopology is not null)
            fields["machineDeployment.topologyName"] = machineDeploymentTopology;
        if (machinePoolTopology is not null)
            fields["machinePool.topologyName"] = machinePoolTopology;
        string? missing = null;
        var rendered = FieldReference().Replace(template, m =>
        {
            if (fields.TryGetValue(m.Groups[1].Value, out var value)) return value;
            missing ??= m.Groups[1].Value;
            return "";
        });
        name = "";
        if (missing is not null)
        {
            error = $"template {template}: map has no entry for key \"{missing}\"";
            return false;
        }
        if (Delimiter().IsMatch(rendered))
        {
            error = $"template {template}: only field references such as {{{{ .cluster.name }}}} are supported";
            return false;
        }
        name = rendered.Length > MaxLength ? rendered[..(MaxLength - RandomLength)] + Random() : rendered;
        error = "";
        return true;
    }

    /// <summary>Whether a rendered name is a valid object name (DNS-1123 subdomain of at most 63 characters here).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxLength && ValidName().IsMatch(name);

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ValidName();
}
