using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessCapi.Functions.Webhooks;

namespace ServerlessCapi.FunctionApp.Triggers;

/// <summary>CAPI's defaulting admission webhooks, one anonymous POST function per CAPI path (the API server authenticates
/// the app by its TLS certificate).</summary>
public static class MutatingWebhookFunctions
{
    private const string MutateKubeadmConfigTemplatePath = "mutate-bootstrap-cluster-x-k8s-io-v1beta2-kubeadmconfigtemplate";

    [Function(MutateKubeadmConfigTemplatePath)]
    public static Task<IActionResult> MutateKubeadmConfigTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateKubeadmConfigTemplatePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateClusterPath = "mutate-cluster-x-k8s-io-v1beta2-cluster";

    [Function(MutateClusterPath)]
    public static Task<IActionResult> MutateCluster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateClusterPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateMachinePath = "mutate-cluster-x-k8s-io-v1beta2-machine";

    [Function(MutateMachinePath)]
    public static Task<IActionResult> MutateMachine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateMachinePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateMachineDeploymentPath = "mutate-cluster-x-k8s-io-v1beta2-machinedeployment";

    [Function(MutateMachineDeploymentPath)]
    public static Task<IActionResult> MutateMachineDeployment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateMachineDeploymentPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateMachinePoolPath = "mutate-cluster-x-k8s-io-v1beta2-machinepool";

    [Function(MutateMachinePoolPath)]
    public static Task<IActionResult> MutateMachinePool(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateMachinePoolPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateMachineHealthCheckPath = "mutate-cluster-x-k8s-io-v1beta2-machinehealthcheck";

    [Function(MutateMachineHealthCheckPath)]
    public static Task<IActionResult> MutateMachineHealthCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateMachineHealthCheckPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateMachineSetPath = "mutate-cluster-x-k8s-io-v1beta2-machineset";

    [Function(MutateMachineSetPath)]
    public static Task<IActionResult> MutateMachineSet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateMachineSetPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateKubeadmControlPlanePath = "mutate-controlplane-cluster-x-k8s-io-v1beta2-kubeadmcontrolplane";

    [Function(MutateKubeadmControlPlanePath)]
    public static Task<IActionResult> MutateKubeadmControlPlane(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateKubeadmControlPlanePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateDevClusterPath = "mutate-infrastructure-cluster-x-k8s-io-v1beta2-devcluster";

    [Function(MutateDevClusterPath)]
    public static Task<IActionResult> MutateDevCluster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateDevClusterPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateDevClusterTemplatePath = "mutate-infrastructure-cluster-x-k8s-io-v1beta2-devclustertemplate";

    [Function(MutateDevClusterTemplatePath)]
    public static Task<IActionResult> MutateDevClusterTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateDevClusterTemplatePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateDevMachinePath = "mutate-infrastructure-cluster-x-k8s-io-v1beta2-devmachine";

    [Function(MutateDevMachinePath)]
    public static Task<IActionResult> MutateDevMachine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateDevMachinePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateDevMachineTemplatePath = "mutate-infrastructure-cluster-x-k8s-io-v1beta2-devmachinetemplate";

    [Function(MutateDevMachineTemplatePath)]
    public static Task<IActionResult> MutateDevMachineTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateDevMachineTemplatePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string MutateClusterResourceSetPath = "mutate-addons-cluster-x-k8s-io-v1beta2-clusterresourceset";

    [Function(MutateClusterResourceSetPath)]
    public static Task<IActionResult> MutateClusterResourceSet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = MutateClusterResourceSetPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);
}
