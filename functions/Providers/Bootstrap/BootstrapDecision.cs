using ServerlessCapi.Api;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>What the bootstrap provider can do for a KubeadmConfig now: wait (and why), or render data for a role.</summary>
public sealed record BootstrapDecision(BootstrapRole? Role, string? WaitingFor)
{
    public bool Ready => Role is not null;

    /// <summary>Decides like CAPI's kubeadm bootstrap controller: nothing before the Cluster's infrastructure
    /// is provisioned; before the control plane is initialised only a control-plane Machine whose config
    /// carries an init (or cluster) configuration may run <c>kubeadm init</c>, everyone else waits; after
    /// that every Machine joins.</summary>
    public static BootstrapDecision For(KubeadmConfigSpec spec, bool controlPlaneMachine, bool infrastructureProvisioned,
        bool controlPlaneInitialized, bool endpointKnown)
    {
        if (!infrastructureProvisioned)
            return Wait("Waiting for Cluster status.initialization.infrastructureProvisioned to be true");
        if (!controlPlaneInitialized)
        {
            if (!controlPlaneMachine)
                return Wait("Waiting for Cluster control plane to be initialized");
            if (spec.JoinConfiguration is not null && spec.InitConfiguration is null && spec.ClusterConfiguration is null)
                return Wait("Waiting for Cluster control plane to be initialized");
            return new BootstrapDecision(BootstrapRole.Init, null);
        }
        if (!endpointKnown)
            return Wait("Waiting for Cluster spec.controlPlaneEndpoint to be set");
        return new BootstrapDecision(controlPlaneMachine ? BootstrapRole.JoinControlPlane : BootstrapRole.JoinWorker, null);
    }

    private static BootstrapDecision Wait(string why) => new(null, why);
}
