using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachineHealthChecks;

/// <summary>Whether a health check may ask for remediation at all, given how many of its Machines are not
/// healthy (<c>spec.remediation.triggerIf</c>): too many unhealthy Machines usually means a wider outage that
/// replacing Machines would only make worse, so remediation short-circuits.</summary>
public static partial class RemediationGate
{
    /// <param name="Allowed">Whether remediation may proceed.</param>
    /// <param name="RemediationsAllowed">How many more Machines may become unhealthy before it stops (0 when stopped).</param>
    /// <param name="Message">Why it stopped, in CAPI's words; null when allowed.</param>
    public sealed record Decision(bool Allowed, int RemediationsAllowed, string? Message);

    /// <param name="expected">Machines the check selects (<c>status.expectedMachines</c>).</param>
    /// <param name="healthy">Machines found healthy (<c>status.currentHealthy</c>); the others, including those
    /// not started yet, count as unhealthy.</param>
    public static Decision Decide(MachineHealthCheckRemediationTriggerIf? triggerIf, int expected, int healthy)
    {
        var unhealthy = expected - healthy;
        if (!string.IsNullOrEmpty(triggerIf?.UnhealthyInRange))
        {
            var (min, max) = ParseRange(triggerIf.UnhealthyInRange);
            if (unhealthy >= min && unhealthy <= max) return new Decision(true, max - unhealthy, null);
            return new Decision(false, 0,
                $"Remediation is not allowed, the number of not started or unhealthy machines does not fall within the range (total: {expected}, unhealthy: {unhealthy}, unhealthyRange: {triggerIf.UnhealthyInRange})");
        }
        var limit = triggerIf?.UnhealthyLessThanOrEqualTo ?? CapiDefaults.UnhealthyLessThanOrEqualTo;
        var maxUnhealthy = limit.GetScaledValue(expected, roundUp: false);
        if (unhealthy <= maxUnhealthy) return new Decision(true, maxUnhealthy - unhealthy, null);
        return new Decision(false, 0,
            $"Remediation is not allowed, the number of not started or unhealthy machines exceeds maxUnhealthy (total: {expected}, unhealthy: {unhealthy}, maxUnhealthy: {limit})");
    }

    /// <summary>Parses <c>[min-max]</c>.</summary>
    public static (int Min, int Max) ParseRange(string range)
    {
        var match = RangePattern().Match(range);
        if (!match.Success) throw new FormatException($"unhealthyInRange '{range}' is not of the form [min-max].");
        var min = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var max = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (max < min) throw new FormatException($"unhealthyInRange '{range}': max value {max} cannot be less than min value {min}.");
        return (min, max);
    }

    [GeneratedRegex(@"^\[([0-9]+)-([0-9]+)\]$")]
    private static partial Regex RangePattern();
}
