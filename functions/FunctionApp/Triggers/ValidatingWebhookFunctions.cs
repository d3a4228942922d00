using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessCapi.Functions.Webhooks;

namespace ServerlessCapi.FunctionApp.Triggers;

/// <summary>CAPI's validating admission webhooks, one anonymous POST function per CAPI path (the API server authenticates
/// the app by its TLS certificate).</summary>
public static class ValidatingWebhookFunctions
{
    private const string ValidateKubeadmConfigPath = "validate-bootstrap-cluster-x-k8s-io-v1beta2-kubeadmconfig";

    [Function(ValidateKubeadmConfigPath)]
    public static Task<IActionResult> ValidateKubeadmConfig(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateKubeadmConfigPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateKubeadmConfigTemplatePath = "validate-bootstrap-cluster-x-k8s-io-v1beta2-kubeadmconfigtemplate";

    [Function(ValidateKubeadmConfigTemplatePath)]
    public static Task<IActionResult> ValidateKubeadmConfigTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateKubeadmConfigTemplatePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateClusterPath = "validate-cluster-x-k8s-io-v1beta2-cluster";

    [Function(ValidateClusterPath)]
    public static Task<IActionResult> ValidateCluster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateClusterPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateMachinePath = "validate-cluster-x-k8s-io-v1beta2-machine";

    [Function(ValidateMachinePath)]
    public static Task<IActionResult> ValidateMachine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateMachinePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateClusterClassPath = "validate-cluster-x-k8s-io-v1beta2-clusterclass";

    [Function(ValidateClusterClassPath)]
    public static Task<IActionResult> ValidateClusterClass(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateClusterClassPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateMachineDeploymentPath = "validate-cluster-x-k8s-io-v1beta2-machinedeployment";

    [Function(ValidateMachineDeploymentPath)]
    public static Task<IActionResult> ValidateMachineDeployment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateMachineDeploymentPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateMachinePoolPath = "validate-cluster-x-k8s-io-v1beta2-machinepool";

    [Function(ValidateMachinePoolPath)]
    public static Task<IActionResult> ValidateMachinePool(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateMachinePoolPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateMachineHealthCheckPath = "validate-cluster-x-k8s-io-v1beta2-machinehealthcheck";

    [Function(ValidateMachineHealthCheckPath)]
    public static Task<IActionResult> ValidateMachineHealthCheck(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateMachineHealthCheckPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateMachineSetPath = "validate-cluster-x-k8s-io-v1beta2-machineset";

    [Function(ValidateMachineSetPath)]
    public static Task<IActionResult> ValidateMachineSet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateMachineSetPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateKubeadmControlPlanePath = "validate-controlplane-cluster-x-k8s-io-v1beta2-kubeadmcontrolplane";

    [Function(ValidateKubeadmControlPlanePath)]
    public static Task<IActionResult> ValidateKubeadmControlPlane(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateKubeadmControlPlanePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateKubeadmControlPlaneTemplatePath = "validate-controlplane-cluster-x-k8s-io-v1beta2-kubeadmcontrolplanetemplate";

    [Function(ValidateKubeadmControlPlaneTemplatePath)]
    public static Task<IActionResult> ValidateKubeadmControlPlaneTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateKubeadmControlPlaneTemplatePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateDevClusterPath = "validate-infrastructure-cluster-x-k8s-io-v1beta2-devcluster";

    [Function(ValidateDevClusterPath)]
    public static Task<IActionResult> ValidateDevCluster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateDevClusterPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateDevClusterTemplatePath = "validate-infrastructure-cluster-x-k8s-io-v1beta2-devclustertemplate";

    [Function(ValidateDevClusterTemplatePath)]
    public static Task<IActionResult> ValidateDevClusterTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateDevClusterTemplatePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateDevMachinePath = "validate-infrastructure-cluster-x-k8s-io-v1beta2-devmachine";

    [Function(ValidateDevMachinePath)]
    public static Task<IActionResult> ValidateDevMachine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateDevMachinePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateDevMachineTemplatePath = "validate-infrastructure-cluster-x-k8s-io-v1beta2-devmachinetemplate";

    [Function(ValidateDevMachineTemplatePath)]
    public static Task<IActionResult> ValidateDevMachineTemplate(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateDevMachineTemplatePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateClusterResourceSetPath = "validate-addons-cluster-x-k8s-io-v1beta2-clusterresourceset";

    [Function(ValidateClusterResourceSetPath)]
    public static Task<IActionResult> ValidateClusterResourceSet(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateClusterResourceSetPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateClusterResourceSetBindingPath = "validate-addons-cluster-x-k8s-io-v1beta2-clusterresourcesetbinding";

    [Function(ValidateClusterResourceSetBindingPath)]
    public static Task<IActionResult> ValidateClusterResourceSetBinding(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateClusterResourceSetBindingPath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);

    private const string ValidateMachineDrainRulePath = "validate-cluster-x-k8s-io-v1beta2-machinedrainrule";

    [Function(ValidateMachineDrainRulePath)]
    public static Task<IActionResult> ValidateMachineDrainRule(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = ValidateMachineDrainRulePath)] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<AdmissionWebhookFunction>(request, context);
}
