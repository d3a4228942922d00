using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Rollout;

/// <summary>Which MachineSet carries a MachineDeployment's template, and the name a new one gets (pure).</summary>
/// <remarks>
/// Only the fields that need new Machines decide (version, failure domain, infrastructure and bootstrap
/// references); labels, annotations, minReadySeconds, readiness gates, deletion timeouts and taints are
/// propagated in place. The new set is named <c>&lt;deployment&gt;-&lt;hash of those fields&gt;</c>, so a retried
/// step finds the set an earlier attempt created (create-or-get). A <c>spec.rollout.after</c> that has passed
/// is part of the hash, so forcing a rollout of an unchanged template gets a set of its own.
/// </remarks>
public static class MachineTemplates
{
    private const int HashLength = 10;
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>What differs between a set's template (current) and the deployment's (desired), in CAPI's
    /// UpToDate wording; empty when the set is up to date.</summary>
    public static List<string> Differences(MachineSpec current, MachineSpec desired)
    {
        var diffs = new List<string>();
        if ((current.Version ?? "") != (desired.Version ?? ""))
            diffs.Add($"Version {current.Version}, {desired.Version} required");
        if ((current.FailureDomain ?? "") != (desired.FailureDomain ?? ""))
            diffs.Add($"Failure domain {current.FailureDomain}, {desired.FailureDomain} required");
        if (!SameRef(current.InfrastructureRef, desired.InfrastructureRef))
            diffs.Add($"{TrimTemplate(desired.InfrastructureRef.Kind)} is not up-to-date");
        if (desired.Bootstrap.ConfigRef is { IsDefined: true } || current.Bootstrap.ConfigRef is { IsDefined: true })
        {
            if (!SameRef(current.Bootstrap.ConfigRef, desired.Bootstrap.ConfigRef))
                diffs.Add($"{TrimTemplate(desired.Bootstrap.ConfigRef?.Kind ?? current.Bootstrap.ConfigRef?.Kind ?? "")} is not up-to-date");
        }
        else if ((current.Bootstrap.DataSecretName ?? "") != (desired.Bootstrap.DataSecretName ?? ""))
        {
            diffs.Add($"spec.bootstrap.dataSecretName {current.Bootstrap.DataSecretName ?? "nil"}, {desired.Bootstrap.DataSecretName ?? "nil"} required");
        }
        return diffs;
    }

    public static bool UpToDate(MachineSpec current, MachineSpec desired) => Differences(current, desired).Count == 0;

    /// <summary>Whether a past <c>spec.rollout.after</c> demands sets created at or after it.</summary>
    public static bool RolloutAfterExpired(MachineDeployment md, DateTime now) =>
        md.Spec.Rollout?.After is { } after && Utc(after) <= now;

    /// <summary>The hash of the rollout fields (and of an expired rollout.after), lowercase alphanumeric.</summary>
    public static string Hash(MachineDeployment md, DateTime now)
    {
        var spec = md.Spec.Template.Spec;
        var fields = new JsonObject
        {
            ["version"] = spec.Version,
            ["failureDomain"] = spec.FailureDomain,
            ["infrastructureRef"] = Ref(spec.InfrastructureRef),
            ["bootstrapConfigRef"] = Ref(spec.Bootstrap.ConfigRef),
            ["dataSecretName"] = spec.Bootstrap.ConfigRef is { IsDefined: true } ? null : spec.Bootstrap.DataSecretName,
        };
        if (RolloutAfterExpired(md, now)) fields["rolloutAfter"] = Utc(md.Spec.Rollout!.After!.Value).ToString("O");
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(fields.ToJsonString()));
        var value = BitConverter.ToUInt64(digest, 0);
        var chars = new char[HashLength];
        for (var i = 0; i < HashLength; i++)
        {
            chars[i] = Alphabet[(int)(value % 36)];
            value /= 36;
        }
        return new string(chars);
    }

    /// <summary>The name of the set for the deployment's current template.</summary>
    public static string SetName(MachineDeployment md, DateTime now)
    {
        var hash = Hash(md, now);
        var prefix = md.Metadata.Name;
        if (prefix.Length > 63 - HashLength - 1) prefix = prefix[..(63 - HashLength - 1)];
        return $"{prefix}-{hash}";
    }

    /// <summary>Splits the sets into the one carrying the template (most replicas wins; once rollout.after has
    /// passed it must have been created at or after it) and the old ones.</summary>
    public static (MachineSet? New, List<MachineSet> Old) Classify(MachineDeployment md, IEnumerable<MachineSet> sets, DateTime now)
    {
        var ordered = sets
            .OrderByDescending(s => s.Spec.Replicas ?? 0)
            .ThenBy(s => s.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(s => s.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var expired = RolloutAfterExpired(md, now);
        var after = md.Spec.Rollout?.After is { } a ? Utc(a) : DateTime.MinValue;
        MachineSet? current = null;
        var old = new List<MachineSet>();
        foreach (var set in ordered)
        {
            var matches = UpToDate(set.Spec.Template.Spec, md.Spec.Template.Spec)
                          && (!expired || Utc(set.Metadata.CreationTimestamp ?? DateTime.MinValue) >= after);
            if (matches && current is null) current = set;
            else old.Add(set);
        }
        return (current, old);
    }

    private static string TrimTemplate(string kind) => kind.EndsWith("Template", StringComparison.Ordinal) ? kind[..^"Template".Length] : kind;

    private static JsonObject? Ref(ContractVersionedObjectReference? r) =>
        r is null || !r.IsDefined ? null : new JsonObject { ["apiGroup"] = r.ApiGroup, ["kind"] = r.Kind, ["name"] = r.Name };

    private static bool SameRef(ContractVersionedObjectReference? a, ContractVersionedObjectReference? b) =>
        (a?.ApiGroup ?? "") == (b?.ApiGroup ?? "") && (a?.Kind ?? "") == (b?.Kind ?? "") && (a?.Name ?? "") == (b?.Name ?? "");

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
