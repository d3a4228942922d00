using System.Security.Cryptography;
using System.Text;

namespace ServerlessCapi.Reconcilers.Events;

/// <summary>What makes two occurrences the same Event (and so one series): the object, who reports it, the action, the
/// reason, the type and the note.</summary>
public sealed record EventKey(string Namespace, string RegardingName, string RegardingUid, string ReportingController,
    string Action, string Reason, string Type, string Note)
{
    private const int MaxNameLength = 253;
    private const int HashLength = 16;

    /// <summary>The Event's name: the object's name and a hash of the key. Deterministic, so two processes recording the
    /// same occurrence write one Event (the second finds it and counts itself into its series).</summary>
    public string EventName
    {
        get
        {
            var text = string.Join('\n', RegardingUid, RegardingName, ReportingController, Action, Reason, Type, Note);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..HashLength];
            var prefix = RegardingName.Length > MaxNameLength - HashLength - 1 ? RegardingName[..(MaxNameLength - HashLength - 1)] : RegardingName;
            prefix = prefix.TrimEnd('.', '-').ToLowerInvariant();
            return prefix.Length == 0 ? hash : $"{prefix}.{hash}";
        }
    }
}
