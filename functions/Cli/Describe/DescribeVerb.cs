using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ServerlessCapi.Cli.Tables;
using ServerlessCapi.Cli.Up;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Cli.Describe;

/// <summary><c>scapi describe cluster NAME</c>: the cluster as a tree with its replicas and readiness in the layout
/// of <c>clusterctl describe cluster</c> (v1beta2), optionally with each object's workflow status.</summary>
internal static class DescribeVerb
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The Cluster's name." };
        var ns = new Option<string>("--namespace", "-n") { Description = "The Cluster's namespace.", DefaultValueFactory = _ => "default" };
        var kubeconfig = new Option<string?>("--kubeconfig")
        {
            Description = "Management cluster kubeconfig (default: $KUBECONFIG, else the running ./scapi up's).",
        };
        var context = new Option<string?>("--kubeconfig-context") { Description = "Context in the kubeconfig (default: its current one)." };
        var showConditions = new Option<string?>("--show-conditions")
        {
            Description = "Comma-separated kinds or kind/name whose every condition gets a row ('all' for everything; a '+' suffix " +
                          "keeps only conditions not in their normal state or with a message).",
        };
        var showMachineSets = new Option<bool>("--show-machinesets") { Description = "Show MachineSets." };
        var showTemplates = new Option<bool>("--show-templates") { Description = "Show the infrastructure and bootstrap config templates." };
        var echo = new Option<bool>("--echo")
        {
            Description = "Show infrastructure machines and bootstrap configs even when ready or in the same state as their Machine.",
        };
        // clusterctl's name for --echo before v1.4; kept so old habits and scripts still work.
        var disableNoEcho = new Option<bool>("--disable-no-echo") { Description = "Same as --echo (deprecated).", Hidden = true };
        var grouping = new Option<bool>("--grouping")
        {
            Description = "Group Machines with the same Available, Ready and UpToDate state into one row.",
            DefaultValueFactory = _ => true,
        };
        var adminUrl = new Option<string?>("--admin-url") { Description = "Base URL of the function app, to add each object's workflow status." };
        var adminKey = new Option<string?>("--admin-key") { Description = "Admin (master) key of the function app." };
        var cluster = new Command("cluster", "Describe a cluster as a tree of its objects, their replicas and their readiness.")
        {
            name, ns, kubeconfig, context, showConditions, showMachineSets, showTemplates, echo, disableNoEcho, grouping, adminUrl, adminKey,
        };
        cluster.SetAction((p, ct) => RunAsync(p.GetValue(name)!, p.GetValue(ns)!, p.GetValue(kubeconfig), p.GetValue(context),
            new DescribeOptions(p.GetValue(showConditions), p.GetValue(showMachineSets), p.GetValue(showTemplates),
                p.GetValue(echo) || p.GetValue(disableNoEcho), p.GetValue(grouping)),
            p.GetValue(adminUrl), p.GetValue(adminKey), ct));
        return new Command("describe", "Describe Cluster API objects.") { cluster };
    }

    private static async Task<int> RunAsync(string name, string ns, string? kubeconfig, string? context, DescribeOptions options,
        string? adminUrl, string? adminKey, CancellationToken ct)
    {
        if (ShowConditionsFilter.Validate(options.ShowConditions) is { } invalid)
        {
            Console.Error.WriteLine($"scapi describe: {invalid}");
            return 2;
        }
        var located = KubeconfigLocator.Locate(kubeconfig, Environment.GetEnvironmentVariable("KUBECONFIG"), RunningUp.Find());
        if (located.Path is null)
        {
            Console.Error.WriteLine($"scapi describe: {located.Error}");
            return 2;
        }
        if (located.Source is not null) Console.Error.WriteLine($"scapi describe: using {located.Source}: {located.Path}");

        using var kube = KubeApi.FromKubeconfigFile(located.Path, context);
        var snapshot = await ClusterLoader.LoadAsync(kube, ns, name, ct);
        if (snapshot is null)
        {
            Console.Error.WriteLine($"scapi describe: Cluster {ns}/{name} not found");
            return 1;
        }

        var tree = ClusterTreeBuilder.Build(snapshot, options);
        var showWorkflow = false;
        if (adminUrl is not null)
        {
            try
            {
                var workflows = await WorkflowStatusesAsync(adminUrl, adminKey, ns, name, ct);
                Visit(tree, n => n.Workflow = n.Object?.Uid is { } uid ? workflows.GetValueOrDefault(uid) : null);
                showWorkflow = true;
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"scapi describe: admin API not reachable ({e.Message}); showing the management cluster only");
            }
        }
        Console.Write(TreePrinter.Render(tree, DateTimeOffset.UtcNow, showWorkflow, TextTable.ConsoleWidth()));
        return 0;
    }

    private static void Visit(TreeNode node, Action<TreeNode> action)
    {
        action(node);
        foreach (var child in node.Children) Visit(child, action);
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
