namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>What kubeadm does on a Machine: initialise the control plane, or join it.</summary>
public enum BootstrapRole
{
    /// <summary><c>kubeadm init</c>: the first control-plane Machine.</summary>
    Init,

    /// <summary><c>kubeadm join --control-plane</c>: every further control-plane Machine.</summary>
    JoinControlPlane,

    /// <summary><c>kubeadm join</c>: a worker.</summary>
    JoinWorker,
}
