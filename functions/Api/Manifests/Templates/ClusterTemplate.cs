using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Api.Templates;

/// <summary>What <c>generate cluster</c> was asked for; null counts mean "not given on the command line".</summary>
public sealed record ClusterTemplateOptions(
    string ClusterName,
    string TargetNamespace,
    string? KubernetesVersion = null,
    long? ControlPlaneMachineCount = null,
    long? WorkerMachineCount = null);

/// <summary>Renders a cluster template as <c>clusterctl generate cluster</c> does: the well-known variables
/// (CLUSTER_NAME, NAMESPACE, KUBERNETES_VERSION, the machine counts) come from the options and override the
/// environment, every namespaced object lands in the target namespace, and the result is one YAML stream.</summary>
public static partial class ClusterTemplate
{
    /// <summary>The objects of the rendered template as YAML documents.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="MissingTemplateVariablesException">Variables lack values.</exception>
    public static string Generate(string template, ClusterTemplateOptions options, Func<string, string?> environment)
    {
        var variables = WellKnownVariables(options, environment);
        var processed = TemplateProcessor.Process(template, name => variables.TryGetValue(name, out var v) ? v : environment(name));
        List<JsonNode> docs;
        try
        {
            docs = YamlJson.LoadAll(processed);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FormatException($"the rendered template is not valid YAML (line {e.Start.Line}): {e.Message}", e);
        }
        var objects = docs.OfType<JsonObject>().Where(o => o.Count > 0).ToList();
        foreach (var obj in objects)
            MoveToNamespace(obj, options.TargetNamespace);
        return YamlJson.ToYamlAll(objects.Select(o => SortKeys(o)));
    }

    /// <summary>The text <c>--list-variables</c> prints: required variables, then optional ones with the value
    /// each would take (the well-known ones as generate would set them, others from the template's default).</summary>
    public static string ListVariables(string template, ClusterTemplateOptions options, Func<string, string?> environment)
    {
        var required = new List<string>();
        var optional = new List<(string Name, string Value)>();
        foreach (var (name, templateDefault) in TemplateProcessor.VariableMap(template))
        {
            var value = templateDefault is { Length: > 0 } d && !d.StartsWith('"') ? Quote(d) : templateDefault;
            value = name switch
            {
                "CLUSTER_NAME" => options.ClusterName,
                "NAMESPACE" => options.TargetNamespace,
                "CONTROL_PLANE_MACHINE_COUNT" => options.ControlPlaneMachineCount?.ToString(CultureInfo.InvariantCulture) ?? environment(name) ?? "1",
                "WORKER_MACHINE_COUNT" => options.WorkerMachineCount?.ToString(CultureInfo.InvariantCulture) ?? environment(name) ?? "0",
                "KUBERNETES_VERSION" => options.KubernetesVersion ?? environment(name) ?? value,
                _ => value,
            };
            if (value is null) required.Add(name);
            else optional.Add((name, value));
        }
        var sb = new StringBuilder();
        if (required.Count > 0)
        {
            sb.Append("Required Variables:\n");
            foreach (var name in required) sb.Append("  - ").Append(name).Append('\n');
        }
        if (optional.Count > 0)
        {
            sb.Append("\nOptional Variables:\n");
            var width = optional.Max(o => o.Name.Length) + "  - ".Length + 2;
            foreach (var (name, value) in optional)
                sb.Append(("  - " + name).PadRight(width)).Append("(defaults to ").Append(value).Append(")\n");
        }
        return sb.Append('\n').ToString();
    }

    /// <summary>The variables generate sets itself, validated as clusterctl validates them.</summary>
    public static Dictionary<string, string> WellKnownVariables(ClusterTemplateOptions options, Func<string, string?> environment)
    {
        if (!Dns1123Label().IsMatch(options.TargetNamespace) || options.TargetNamespace.Length > 63)
            throw new ArgumentException($"invalid target-namespace \"{options.TargetNamespace}\": it must be a DNS-1123 label (lower case alphanumerics and '-', at most 63 characters)");
        if (!Dns1123Subdomain().IsMatch(options.ClusterName) || options.ClusterName.Length > 253)
            throw new ArgumentException($"invalid cluster name \"{options.ClusterName}\": it must be a DNS-1123 subdomain (lower case alphanumerics, '-' and '.', at most 253 characters)");
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["NAMESPACE"] = options.TargetNamespace,
            ["CLUSTER_NAME"] = options.ClusterName,
        };
        // Without the flag the environment's KUBERNETES_VERSION (if any) applies, unvalidated, as in clusterctl.
        if (options.KubernetesVersion is { Length: > 0 } version)
        {
            if (!SemanticVersion().IsMatch(version))
                throw new ArgumentException($"invalid kubernetes version \"{version}\": use a semantic version such as v1.34.0");
            variables["KUBERNETES_VERSION"] = version;
        }
        var controlPlane = options.ControlPlaneMachineCount ?? CountFromEnvironment("CONTROL_PLANE_MACHINE_COUNT", environment) ?? 1;
        if (controlPlane < 1)
            throw new ArgumentException("invalid control plane machine count: it must be at least 1");
        var workers = options.WorkerMachineCount ?? CountFromEnvironment("WORKER_MACHINE_COUNT", environment) ?? 0;
        if (workers < 0)
            throw new ArgumentException("invalid worker machine count: it must be at least 0");
        variables["CONTROL_PLANE_MACHINE_COUNT"] = controlPlane.ToString(CultureInfo.InvariantCulture);
        variables["WORKER_MACHINE_COUNT"] = workers.ToString(CultureInfo.InvariantCulture);
        return variables;
    }

    private static long? CountFromEnvironment(string name, Func<string, string?> environment) =>
        environment(name) switch
        {
            null => null,
            var v when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
            var v => throw new ArgumentException($"invalid value \"{v}\" for {name}: it must be a whole number"),
        };

    /// <summary>Namespaced objects move to the target namespace (an explicit namespace included, so a cluster and all
    /// its objects share one namespace); a Namespace object is renamed to it.</summary>
    private static void MoveToNamespace(JsonObject obj, string ns)
    {
        var kind = obj["kind"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? obj["kind"]!.GetValue<string>() : null;
        if (obj["metadata"] is not JsonObject metadata)
            obj["metadata"] = metadata = new JsonObject();
        if (kind == "Namespace") metadata["name"] = ns;
        if (kind is not null && !ClusterScopedKinds.Contains(kind)) metadata["namespace"] = ns;
        if (kind is "RoleBinding" or "ClusterRoleBinding" && obj["subjects"] is JsonArray subjects)
        {
            foreach (var subject in subjects.OfType<JsonObject>())
                if (subject["namespace"] is JsonValue v && v.ToString().Length > 0) subject["namespace"] = ns;
        }
    }

    /// <summary>The kinds clusterctl treats as cluster-scoped; every other kind is namespaced.</summary>
    private static readonly HashSet<string> ClusterScopedKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "PersistentVolume", "PodSecurityPolicy", "CertificateSigningRequest", "ClusterRoleBinding",
        "ClusterRole", "VolumeAttachment", "StorageClass", "CSIDriver", "CSINode", "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration", "CustomResourceDefinition", "PriorityClass", "RuntimeClass",
    };

    /// <summary>Keys in order, as clusterctl writes objects.</summary>
    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, SortKeys(p.Value?.DeepClone())))),
        JsonArray arr => new JsonArray(arr.Select(i => SortKeys(i?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>A default shown in double quotes, with Go's escapes for quotes and backslashes.</summary>
    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex(@"^v?(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemanticVersion();
}
