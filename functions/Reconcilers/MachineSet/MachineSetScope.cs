using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>What one MachineSet step observed and decided; the status is computed from it.</summary>
public sealed class MachineSetScope(MachineSet set, DateTimeOffset now)
{
    public MachineSet Set { get; } = set;

    public DateTimeOffset Now { get; } = now;

    public DateTime UtcNow => Now.UtcDateTime;

    public Api.Cluster? Cluster { get; set; }

    /// <summary>The MachineDeployment controlling the set, when it is one of its revisions.</summary>
    public MachineDeployment? Deployment { get; set; }

    public JsonObject? BootstrapTemplate { get; set; }
    public bool BootstrapTemplateNotFound { get; set; }

    public JsonObject? InfrastructureTemplate { get; set; }
    public bool InfrastructureTemplateNotFound { get; set; }

    /// <summary>The Machines the set controls (deleting ones included); null until listed.</summary>
    public List<Api.Machine>? Machines { get; set; }

    public bool IsDeleting => Set.Metadata.DeletionTimestamp is not null;

    public string Namespace => Set.Metadata.NamespaceProperty;

    public MachineSetFacts Facts() => new(
        Machines is null ? null : UpToDateFallback.Apply(Machines, _ => (Set, Deployment), UtcNow),
        BootstrapTemplateNotFound,
        InfrastructureTemplateNotFound,
        Set.Spec.Template.Spec.Bootstrap.ConfigRef?.Kind,
        Set.Spec.Template.Spec.InfrastructureRef.Kind,
        UtcNow);
}
