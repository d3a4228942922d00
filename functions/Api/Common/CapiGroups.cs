namespace ServerlessCapi.Api;

/// <summary>API groups and versions of the kinds served.</summary>
public static class CapiGroups
{
    public const string Version = "v1beta2";
    public const string Core = "cluster.x-k8s.io";
    public const string Bootstrap = "bootstrap.cluster.x-k8s.io";
    public const string ControlPlane = "controlplane.cluster.x-k8s.io";
    public const string Infrastructure = "infrastructure.cluster.x-k8s.io";
    public const string Addons = "addons.cluster.x-k8s.io";

    public const string CoreApiVersion = Core + "/" + Version;
    public const string BootstrapApiVersion = Bootstrap + "/" + Version;
    public const string ControlPlaneApiVersion = ControlPlane + "/" + Version;
    public const string InfrastructureApiVersion = Infrastructure + "/" + Version;
    public const string AddonsApiVersion = Addons + "/" + Version;
}
