namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a DevMachine (v1beta2).</summary>
public static class DevMachineConditions
{
    public const string Ready = "Ready";
    public const string DockerContainerProvisioned = "ContainerProvisioned";
    public const string DockerCGroupsReady = "CGroupsReady";
    public const string DockerPreLoadedImagesReady = "PreLoadedImagesReady";
    public const string BootstrapCompleted = "BootstrapCompleted";
    public const string InMemoryVMProvisioned = "VMProvisioned";
    public const string InMemoryNodeProvisioned = "NodeProvisioned";
    public const string InMemoryEtcdProvisioned = "EtcdProvisioned";
    public const string InMemoryAPIServerProvisioned = "APIServerProvisioned";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a DevMachine (v1beta2).</summary>
public static class DevMachineReasons
{
    public const string Ready = "Ready";
    public const string NotReady = "NotReady";
    public const string ReadyUnknown = "ReadyUnknown";
    public const string DockerContainerWaitingForClusterInfrastructureReady = "WaitingForClusterInfrastructureReady";
    public const string DockerContainerWaitingForControlPlaneInitialized = "WaitingForControlPlaneInitialized";
    public const string DockerContainerWaitingForBootstrapData = "WaitingForBootstrapData";
    public const string DockerContainerProvisioned = "Provisioned";
    public const string DockerContainerNotProvisioned = "NotProvisioned";
    public const string DockerContainerDeleting = "Deleting";
    public const string DockerCGroupsReadyWaitingForContainer = "WaitingForContainer";
    public const string DockerCGroupsReady = "Ready";
    public const string DockerCGroupsNotReady = "NotReady";
    public const string DockerCGroupsReadyInternalError = "InternalError";
    public const string DockerPreLoadedImagesReadyWaitingForContainer = "WaitingForContainer";
    public const string DockerPreLoadedImagesReadyWaitingForCGroups = "WaitingForCGroups";
    public const string DockerPreLoadedImagesReady = "Ready";
    public const string DockerPreLoadedImagesNotReady = "NotReady";
    public const string DockerPreLoadedImagesReadyInternalError = "InternalError";
    public const string DockerBootstrapCompletedWaitingForContainer = "WaitingForContainer";
    public const string DockerBootstrapCompletedWaitingForCGroups = "WaitingForCGroups";
    public const string DockerBootstrapCompletedWaitingForPreloadedImages = "WaitingForPreloadedImages";
    public const string DockerBootstrapCompleted = "Completed";
    public const string DockerBootstrapNotCompleted = "NotCompleted";
    public const string DockerBootstrapFailed = "Failed";
    public const string DockerBootstrapCompletedInternalError = "InternalError";
    public const string InMemoryVMWaitingForClusterInfrastructure = "WaitingForClusterInfrastructureReady";
    public const string InMemoryVMWaitingForControlPlaneInitialized = "WaitingForControlPlaneInitialized";
    public const string InMemoryVMWaitingForBootstrapData = "WaitingForBootstrapData";
    public const string InMemoryVMWaitingForStartupTimeout = "WaitingForStartupTimeout";
    public const string InMemoryVMProvisioned = "Provisioned";
    public const string InMemoryVMInternalError = "InternalError";
    public const string InMemoryNodeWaitingForVMProvisioned = "WaitingForVMProvisioned";
    public const string InMemoryNodeWaitingForStartupTimeout = "WaitingForStartupTimeout";
    public const string InMemoryNodeProvisioned = "Provisioned";
    public const string InMemoryNodeInternalError = "InternalError";
    public const string InMemoryEtcdWaitingForVMProvisioned = "WaitingForVMProvisioned";
    public const string InMemoryEtcdWaitingForNodeProvisioned = "WaitingForNodeProvisioned";
    public const string InMemoryEtcdWaitingForStartupTimeout = "WaitingForStartupTimeout";
    public const string InMemoryEtcdProvisioned = "Provisioned";
    public const string InMemoryEtcdInternalError = "InternalError";
    public const string InMemoryAPIServerWaitingForVMProvisioned = "WaitingForVMProvisioned";
    public const string InMemoryAPIServerWaitingForNodeProvisioned = "WaitingForNodeProvisioned";
    public const string InMemoryAPIServerWaitingForStartupTimeout = "WaitingForStartupTimeout";
    public const string InMemoryAPIServerProvisioned = "Provisioned";
    public const string InMemoryAPIServerInternalError = "InternalError";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
}
