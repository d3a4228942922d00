using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>The checks of CAPI's Cluster webhook on a managed topology that need no ClusterClass.</summary>
public static class TopologyRules
{
    /// <summary>Worker topology names are unique within the Cluster.</summary>
    public static IEnumerable<FieldError> WorkerNames(FieldPath topology, ClusterTopology t)
    {
        foreach (var (list, names) in new[]
        {
            ("machineDeployments", t.Workers?.MachineDeployments?.Select(m => m.Name).ToList() ?? []),
            ("machinePools", t.Workers?.MachinePools?.Select(m => m.Name).ToList() ?? []),
        })
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                if (!seen.Add(names[i]))
                {
                    yield return new FieldError(FieldErrorType.Invalid, topology.Child("workers", list).Index(i).Child("name").ToString(),
                        JsonValue.Create(names[i]), "name must be unique. Name is used by other topologies", true);
                }
            }
        }
    }

    /// <summary>On update the version may not go down, nor up by more than one minor version at a time.</summary>
    public static IEnumerable<FieldError> VersionChange(FieldPath path, string oldVersion, string newVersion)
    {
        if (Semver.ParseTolerant(oldVersion) is not { } before || Semver.ParseTolerant(newVersion) is not { } after || oldVersion == newVersion)
            yield break;
        if ((after.Major, after.Minor, after.Patch).CompareTo((before.Major, before.Minor, before.Patch)) < 0)
            yield return FieldError.Invalid(path, newVersion, $"version cannot be decreased from \"{oldVersion}\" to \"{newVersion}\"");
        else if (after.Major > before.Major || after.Minor > before.Minor + 1)
            yield return FieldError.Forbidden(path, $"version cannot be increased from \"{oldVersion}\" to \"{newVersion}\": upgrade one minor version at a time");
    }
}
