using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace ServerlessCapi.Functions.Registration;

/// <summary>The registered functions with <c>%Setting%</c> references resolved from configuration.</summary>
public sealed partial class FunctionCatalog
{
    public FunctionCatalog(IReadOnlyList<FunctionDescriptor> declared, IConfiguration configuration)
    {
        Declared = declared;
        Functions = declared.Select(d => d switch
        {
            QueueFunctionDescriptor q => q with { QueueName = Resolve(q.QueueName, configuration, q.Name) },
            TimerFunctionDescriptor t => t with { Schedule = Resolve(t.Schedule, configuration, t.Name) },
            _ => d,
        }).ToList();
    }

    /// <summary>As registered (what <c>function.json</c> files carry; the Functions host resolves settings itself).</summary>
    public IReadOnlyList<FunctionDescriptor> Declared { get; }

    /// <summary>With settings resolved (what the standalone runtime uses).</summary>
    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    public IEnumerable<QueueFunctionDescriptor> Queues => Functions.OfType<QueueFunctionDescriptor>();
    public IEnumerable<TimerFunctionDescriptor> Timers => Functions.OfType<TimerFunctionDescriptor>();
    public IEnumerable<HttpFunctionDescriptor> Http => Functions.OfType<HttpFunctionDescriptor>();

    public FunctionDescriptor? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Replaces each <c>%Name%</c> with the configuration value <c>Name</c>, as the Functions host does.</summary>
    public static string Resolve(string value, IConfiguration configuration, string functionName) =>
        SettingReference().Replace(value, m =>
            configuration[m.Groups[1].Value] is { Length: > 0 } resolved
                ? resolved
                : throw new InvalidOperationException(
                    $"Function '{functionName}' refers to the setting '{m.Groups[1].Value}', which is not configured."));

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}
