namespace ServerlessCapi.Admission;

/// <summary>The Cluster API feature gates the webhooks consult, with CAPI's defaults.</summary>
public sealed record AdmissionOptions
{
    /// <summary>ClusterTopology (alpha, off): without it Cluster.spec.topology and the ClusterClass templates are refused.</summary>
    public bool ClusterTopology { get; init; }

    /// <summary>KubeadmBootstrapFormatIgnition (alpha, off): without it <c>format: ignition</c> and <c>spec.ignition</c> are refused.</summary>
    public bool KubeadmBootstrapFormatIgnition { get; init; }

    /// <summary>MachineSetPreflightChecks (beta, on): the skip-preflight-checks annotation is validated.</summary>
    public bool MachineSetPreflightChecks { get; init; } = true;

    /// <summary>MachineTaintPropagation (alpha, off): without it Machine taints are refused.</summary>
    public bool MachineTaintPropagation { get; init; }

    public static AdmissionOptions Default { get; } = new();
}

/// <summary>What a webhook knows about the request besides the object.</summary>
/// <param name="Operation">CREATE, UPDATE or DELETE.</param>
public sealed record AdmissionContext(string Operation, bool DryRun, AdmissionOptions Options)
{
    public bool IsUpdate => Operation == "UPDATE";
}

/// <summary>A refusal that is not a field error list: controller-runtime answers it with 403 and the message.</summary>
public sealed class AdmissionDeniedException(string message) : Exception(message);
