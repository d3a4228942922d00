using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>What one MachineDeployment step observed and decided; the status is computed from it.</summary>
public sealed class MachineDeploymentScope(MachineDeployment deployment, DateTimeOffset now)
{
    public MachineDeployment Deployment { get; } = deployment;

    public DateTimeOffset Now { get; } = now;

    public DateTime UtcNow => Now.UtcDateTime;

    public Api.Cluster? Cluster { get; set; }

    public bool BootstrapTemplateNotFound { get; set; }
    public bool InfrastructureTemplateNotFound { get; set; }

    /// <summary>The sets the deployment controls (as last written by this step); null until listed.</summary>
    public List<MachineSet>? Sets { get; set; }

    /// <summary>The Machines of those sets; null when they could not be listed.</summary>
    public List<Api.Machine>? Machines { get; set; }

    public bool IsDeleting => Deployment.Metadata.DeletionTimestamp is not null;

    public string Namespace => Deployment.Metadata.NamespaceProperty;
}
