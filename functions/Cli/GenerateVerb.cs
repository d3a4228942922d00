using System.CommandLine;
using k8s;
using ServerlessCapi.Api.Templates;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi generate cluster NAME --from FILE</c>: renders a cluster template the way
/// <c>clusterctl generate cluster --from</c> does (its variable syntax, defaults and well-known variables).</summary>
internal static class GenerateVerb
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The Cluster's name (the template's ${CLUSTER_NAME})." };
        var from = new Option<string>("--from") { Description = "The template file ('-' reads standard input).", Required = true };
        var targetNamespace = new Option<string?>("--target-namespace", "-n")
        {
            Description = "The namespace of the workload cluster's objects (${NAMESPACE}; default: the kubeconfig's current namespace, else \"default\").",
        };
        var kubernetesVersion = new Option<string?>("--kubernetes-version") { Description = "${KUBERNETES_VERSION} (default: from the environment)." };
        var controlPlane = new Option<long?>("--control-plane-machine-count") { Description = "${CONTROL_PLANE_MACHINE_COUNT} (default: from the environment, else 1)." };
        var workers = new Option<long?>("--worker-machine-count") { Description = "${WORKER_MACHINE_COUNT} (default: from the environment, else 0)." };
        var listVariables = new Option<bool>("--list-variables") { Description = "Print the template's required and optional variables instead of the YAML." };
        var output = new Option<string?>("--output", "--write-to", "-o") { Description = "Write the YAML to this file instead of standard output." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig whose current namespace is the default target namespace." };
        var cluster = new Command("cluster", "Render a workload cluster template with its variables.")
        {
            name, from, targetNamespace, kubernetesVersion, controlPlane, workers, listVariables, output, kubeconfig,
        };
        cluster.SetAction((p, ct) => RunAsync(p.GetValue(from)!, p.GetValue(listVariables), p.GetValue(output), new ClusterTemplateOptions(
            p.GetValue(name)!, p.GetValue(targetNamespace) ?? CurrentNamespace(p.GetValue(kubeconfig)), p.GetValue(kubernetesVersion),
            p.GetValue(controlPlane), p.GetValue(workers)), ct));
        return new Command("generate", "Generate Cluster API manifests.") { cluster };
    }

    private static async Task<int> RunAsync(string from, bool listVariables, string? output, ClusterTemplateOptions options, CancellationToken ct)
    {
        string template;
        try
        {
            template = from == "-" ? await Console.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(from, ct);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"scapi generate: cannot read the template: {e.Message}");
            return 1;
        }
        try
        {
            if (listVariables)
            {
                Console.Write(ClusterTemplate.ListVariables(template, options, Environment.GetEnvironmentVariable));
                return 0;
            }
            var yaml = ClusterTemplate.Generate(template, options, Environment.GetEnvironmentVariable) + "\n";
            if (string.IsNullOrWhiteSpace(output) || output.Trim() == "-")
                Console.Write(yaml);
            else
                await File.WriteAllTextAsync(output.Trim(), yaml, ct);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or MissingTemplateVariablesException)
        {
            Console.Error.WriteLine($"scapi generate: {e.Message}");
            return 1;
        }
    }

    /// <summary>The namespace of the kubeconfig's current context, as clusterctl defaults the target namespace.</summary>
    private static string CurrentNamespace(string? kubeconfig)
    {
        var path = kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault(p => p.Length > 0)
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (!File.Exists(path)) return "default";
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path).Namespace is { Length: > 0 } ns ? ns : "default";
        }
        catch (k8s.Exceptions.KubeConfigException)
        {
            return "default";
        }
    }
}
