using System.Reflection;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Functions.Registration;

/// <summary>Registers functions once; the same list drives the standalone host's listeners and HTTP endpoints (and
/// a test checks the isolated-worker app declares the same functions).</summary>
public sealed partial class FunctionsBuilder
{
    private readonly List<FunctionDescriptor> _functions = [];

    public IReadOnlyList<FunctionDescriptor> Functions => _functions;

    /// <summary>A queue trigger. <typeparamref name="TFunction"/> implements <see cref="IQueueFunction{TMessage}"/>.</summary>
    /// <param name="queue">Queue name, or <c>%Setting%</c> to read it from configuration.</param>
    public FunctionsBuilder Queue<TFunction>(string name, string queue) where TFunction : class
    {
        var messageType = typeof(TFunction).GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IQueueFunction<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToList() switch
        {
            [var single] => single,
            _ => throw new ArgumentException(
                $"{typeof(TFunction).Name} must implement IQueueFunction<TMessage> exactly once.", nameof(TFunction)),
        };
        var create = typeof(QueueFunctionDescriptor)
            .GetMethod(nameof(QueueFunctionDescriptor.Create), BindingFlags.Static | BindingFlags.NonPublic)!
            .MakeGenericMethod(typeof(TFunction), messageType);
        return Add((FunctionDescriptor)create.Invoke(null, [name, RequireText(queue, nameof(queue))])!);
    }

    /// <summary>A timer trigger.</summary>
    /// <param name="schedule">Six-field CRON (seconds first), or <c>%Setting%</c>.</param>
    /// <param name="runOnStartup">Also run when this instance starts holding the timer.</param>
    public FunctionsBuilder Timer<TFunction>(string name, string schedule, bool runOnStartup = false)
        where TFunction : class, ITimerFunction =>
        Add(TimerFunctionDescriptor.Create<TFunction>(name, RequireText(schedule, nameof(schedule)), runOnStartup));

    /// <summary>An HTTP trigger at <c>/api/{route}</c>.</summary>
    /// <param name="methods">Comma-separated HTTP methods, e.g. <c>"GET"</c> or <c>"GET,POST"</c>.</param>
    /// <param name="atRoot">Serve at <c>/{route}</c>, outside the route prefix (standalone and forwarded requests).</param>
    public FunctionsBuilder Http<TFunction>(
        string name, string methods, string? route = null, AuthorizationLevel authLevel = AuthorizationLevel.Function, bool atRoot = false)
        where TFunction : class, IHttpFunction
    {
        var list = methods.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => m.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) throw new ArgumentException("At least one HTTP method is required.", nameof(methods));
        return Add(HttpFunctionDescriptor.Create<TFunction>(name, list, (route ?? name).Trim('/'), authLevel, atRoot));
    }

    private FunctionsBuilder Add(FunctionDescriptor descriptor)
    {
        if (!ValidName().IsMatch(descriptor.Name))
            throw new ArgumentException($"'{descriptor.Name}' is not a valid function name (letters, digits, '-', '_').");
        if (_functions.Any(f => string.Equals(f.Name, descriptor.Name, StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"A function named '{descriptor.Name}' is already registered.");
        _functions.Add(descriptor);
        return this;
    }

    private static string RequireText(string value, string parameter) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("A value is required.", parameter) : value;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,126}$")]
    private static partial Regex ValidName();
}
