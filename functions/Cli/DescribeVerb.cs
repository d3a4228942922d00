using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Admin;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi describe cluster NAME</c>: the cluster as a tree with its readiness, the way
/// <c>clusterctl describe cluster</c> prints it, optionally with each object's workflow status.</summary>
internal static class DescribeVerb
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The Cluster's name." };
        var ns = new Option<string>("--namespace", "-n") { Description = "The Cluster's namespace.", DefaultValueFactory = _ => "default" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Management cluster kubeconfig (default: $KUBECONFIG, then ~/.kube/config)." };
        var adminUrl = new Option<string?>("--admin-url") { Description = "Base URL of the function app, to add each object's workflow status." };
        var adminKey = new Option<string?>("--admin-key") { Description = "Admin (master) key of the function app." };
        var grouping = new Option<bool>("--grouping") { Description = "Group Machines in the same state into one row.", DefaultValueFactory = _ => true };
        var showMachineSets = new Option<bool>("--show-machinesets") { Description = "Show MachineSets between MachineDeployments and Machines." };
        var cluster = new Command("cluster", "Describe a cluster as a tree of its objects and their readiness.")
        {
            name, ns, kubeconfig, adminUrl, adminKey, grouping, showMachineSets,
        };
        cluster.SetAction((p, ct) => RunAsync(p.GetValue(name)!, p.GetValue(ns)!, p.GetValue(kubeconfig), p.GetValue(adminUrl), p.GetValue(adminKey),
            p.GetValue(grouping), p.GetValue(showMachineSets), ct));
        return new Command("describe", "Describe Cluster API objects.") { cluster };
    }

    private static async Task<int> RunAsync(string name, string ns, string? kubeconfig, string? adminUrl, string? adminKey, bool grouping,
        bool showMachineSets, CancellationToken ct)
    {
        var path = kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault(p => p.Length > 0)
                   ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (!File.Exists(path))
        {
            Console.Error.WriteLine($"scapi describe: no kubeconfig at {path} (use --kubeconfig)");
            return 2;
        }
        using var kube = KubeApi.FromKubeconfigFile(path);
        var objects = await ClusterObjects.LoadAsync(kube, ns, name, ct);
        if (objects is null)
        {
            Console.Error.WriteLine($"scapi describe: Cluster {ns}/{name} not found");
            return 1;
        }

        IReadOnlyDictionary<string, string>? workflows = null;
        if (adminUrl is not null)
        {
            try
            {
                workflows = await WorkflowStatusesAsync(adminUrl, adminKey, ns, name, ct);
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"scapi describe: admin API not reachable ({e.Message}); showing the management cluster only");
            }
        }
        var tree = objects.ToTree(showMachineSets, workflows is null ? null : o => o.Uid is not null ? workflows.GetValueOrDefault(o.Uid) : null);
        Console.Write(ClusterTreeRenderer.Render(tree, DateTimeOffset.UtcNow, new TreeRenderOptions(grouping, ShowWorkflow: workflows is not null)));
        return 0;
    }

    /// <summary>Runtime status of each object's workflow, by object uid, from the admin API's cluster tree.</summary>
    private static async Task<IReadOnlyDictionary<string, string>> WorkflowStatusesAsync(string adminUrl, string? key, string ns, string name, CancellationToken ct)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri($"{adminUrl.TrimEnd('/')}/api/admin/clusters/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (key is not null) request.Headers.Add("x-functions-key", key);
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? node)
        {
            if (node?["object"]?["uid"]?.GetValue<string>() is { } uid && node["workflow"]?["runtimeStatus"]?.GetValue<string>() is { } status)
                statuses[uid] = status;
            foreach (var child in node?["children"] as JsonArray ?? []) Walk(child);
        }
        Walk(JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))?["tree"]);
        return statuses;
    }
}
