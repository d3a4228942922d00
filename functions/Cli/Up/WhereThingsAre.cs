namespace ServerlessCapi.Cli.Up;

/// <summary>What a running <c>scapi up</c> offers and where, printed once it is ready. Names files, never their
/// secrets: the admin key is a path to read it from.</summary>
/// <param name="AppUrls">Every app process's base URL (each serves the admin API and its own metrics).</param>
/// <param name="Clusters">Namespace and name of each Cluster in the management cluster, for describe hints.</param>
/// <param name="Traces">Where the apps write their spans (<c>up --traces</c>): a file, <c>console</c>, or null.</param>
internal sealed record WhereThingsAre(
    string Kubeconfig,
    IReadOnlyList<string> AppUrls,
    string AdminKeyFile,
    string LogDir,
    string? WebhookUrl,
    string? WebhookCa,
    IReadOnlyList<(string Namespace, string Name)> Clusters,
    string? Traces = null)
{
    public IReadOnlyList<string> Lines()
    {
        var admin = $"{AppUrls[0]}/api/admin/clusters";
        var lines = new List<string>
        {
            "Where things are:",
            $"  kubeconfig   {Kubeconfig}",
            $"  kubectl      export KUBECONFIG={Kubeconfig}",
            "               kubectl get clusters,machinedeployments,machines -A",
        };
        var describe = Clusters.Count == 0
            ? ["./scapi describe cluster NAME"]
            : Clusters.Take(3).Select(c => "./scapi describe cluster " + c.Name + (c.Namespace == "default" ? "" : $" -n {c.Namespace}")).ToList();
        lines.Add($"  describe     {describe[0]}   (finds this run's kubeconfig by itself)");
        lines.AddRange(describe.Skip(1).Select(d => $"               {d}"));
        lines.Add($"  admin API    {admin}   (header x-functions-key: the key in {AdminKeyFile})");
        lines.Add($"               curl -H \"x-functions-key: $(cat {AdminKeyFile})\" {admin}");
        lines.Add($"  metrics      {string.Join("  ", AppUrls.Select(u => $"{u}/metrics"))}");
        var dashboard = $"{AppUrls[0]}/api/dashboard";
        lines.Add($"  dashboard    {dashboard}?code=KEY   (KEY: the key in {AdminKeyFile})");
        lines.Add($"               xdg-open \"{dashboard}?code=$(cat {AdminKeyFile})\"");
        if (WebhookUrl is not null) lines.Add($"  webhooks     {WebhookUrl}   (CA {WebhookCa})");
        if (Traces is not null)
        {
            lines.Add(Traces == Functions.Observability.JsonLinesSpanExporter.Console
                ? $"  traces       in the app logs, one JSON span per line   (grep '\"traceId\"' {LogDir}/app-1.log)"
                : $"  traces       {Traces}   (one JSON span per line; jq 'select(.name == \"reconcile\")' {Traces})");
        }
        lines.Add($"  logs         {LogDir}   (one file per process)");
        return lines;
    }
}
