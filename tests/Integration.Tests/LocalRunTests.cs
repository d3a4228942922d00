using System.Text;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Integration.Tests;

/// <summary>What <c>scapi up</c> runs, as separate processes (Azurite, the API server, the in-memory cloud, the app):
/// a one-plus-one cluster from the quickstart's manifests comes up, and deleting it leaves nothing behind.</summary>
public sealed class LocalRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>The quickstart with one control-plane Machine, one worker, zero boot times, in its own namespace.</summary>
    private static string SmallSample(string ns) =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "quickstart.yaml"))
            .Replace("namespace: default", $"namespace: {ns}", StringComparison.Ordinal)
            .Replace("replicas: 3", "replicas: 1", StringComparison.Ordinal)
            .Replace("startupDuration: 2s", "startupDuration: 0s", StringComparison.Ordinal)
            .Replace("startupDuration: 1s", "startupDuration: 0s", StringComparison.Ordinal);

    private static async Task InstallCrdsAsync(string kubeconfig, CancellationToken ct)
    {
        using var kube = KubeApi.FromKubeconfigFile(kubeconfig);
        var applier = new ManifestApplier(kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
            await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file, ct)), ct: ct);
    }

    [Fact]
    public async Task A_cluster_comes_up_on_separate_processes_and_its_deletion_leaves_nothing_behind()
    {
        var state = Directory.CreateTempSubdirectory("scapi-local-");
        var env = await LocalEnvironment.StartAsync(new LocalEnvironmentOptions(state.FullName, Instances: 1, PersistentStorage: false,
            BeforeApps: InstallCrdsAsync, Webhooks: true));
        IReadOnlyList<ChildProcess> children = env.Children;
        try
        {
            // Any local user can read a process's command line: no secret may be passed there.
            foreach (var child in children)
            {
                var commandLine = (await File.ReadAllTextAsync($"/proc/{child.ProcessId}/cmdline")).Replace('\0', ' ');
                commandLine.ShouldNotContain(AzuriteProcess.AccountKey, customMessage: $"{child.Name}'s command line");
                commandLine.ShouldNotContain("AccountKey=", customMessage: $"{child.Name}'s command line");
            }
            CapiResources.Register();
            using var kube = KubeApi.FromKubeconfigFile(env.KubeconfigPath);
            const string ns = "smoke";
            await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
            await new ManifestApplier(kube).ApplyAsync(ManifestApplier.Parse(SmallSample(ns)));
            await AssertWebhooksAsync(env, kube, ns);

            await WaitFor.ConditionAsync(async () =>
            {
                var cluster = await kube.GetAsync<Api.Cluster>(ns, "demo");
                var machines = await kube.ListAsync<Api.Machine>(ns);
                return cluster?.Status.Phase == ClusterPhase.Provisioned && Conditions.IsTrue(cluster.Status.Conditions, ClusterConditions.Available)
                       && machines.Count == 2 && machines.All(m => m.Status.Phase == MachinePhase.Running && m.Status.NodeRef is not null);
            }, Timeout, $"Cluster demo Available with 2 Machines Running (logs: {env.LogDir})");

            var machineNames = (await kube.ListAsync<Api.Machine>(ns)).Select(m => m.Metadata.Name).Order(StringComparer.Ordinal).ToList();
            (await kube.ListAsync<Api.DevMachine>(ns)).Select(d => d.Metadata.Name).Order(StringComparer.Ordinal).ShouldBe(machineNames);
            var configs = await kube.ListAsync<Api.KubeadmConfig>(ns);
            configs.Select(c => c.Metadata.Name).Order(StringComparer.Ordinal).ShouldBe(machineNames);
            foreach (var c in configs) (await kube.GetAsync<V1Secret>(ns, c.Status.DataSecretName!)).ShouldNotBeNull();
            var kubeconfig = (await kube.GetAsync<V1Secret>(ns, "demo-kubeconfig")).ShouldNotBeNull();
            using var workload = KubeApi.FromKubeconfigText(Encoding.UTF8.GetString(kubeconfig.Data["value"]));
            (await workload.ListAsync<V1Node>(null)).Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ShouldBe(machineNames);

            await AssertAppEndpointsAsync(env, ns);
            await WaitFor.ConditionAsync(async () => (await EventsAsync(kube, ns)).IsSupersetOf(
                [
                    "Cluster/InfrastructureReady", "Cluster/ControlPlaneInitialized", "Cluster/Provisioned", "KubeadmControlPlane/SuccessfulCreate",
                    "MachineDeployment/SuccessfulCreate", "MachineSet/SuccessfulCreate", "Machine/SuccessfulSetNodeRef",
                ]), TimeSpan.FromSeconds(30), "the reconcilers' Events, listed through core v1 as kubectl get events lists them");

            await kube.DeleteAsync<Api.Cluster>(ns, "demo");

            await WaitFor.ConditionAsync(async () => await kube.GetAsync<Api.Cluster>(ns, "demo") is null, Timeout, "Cluster demo gone");
            (await EventsAsync(kube, ns)).ShouldContain("Cluster/Deleted");
            (await kube.ListAsync<Api.Machine>(ns)).ShouldBeEmpty();
            (await kube.ListAsync<Api.MachineSet>(ns)).ShouldBeEmpty();
            (await kube.ListAsync<Api.MachineDeployment>(ns)).ShouldBeEmpty();
            (await kube.ListAsync<Api.KubeadmControlPlane>(ns)).ShouldBeEmpty();
            (await kube.ListAsync<Api.DevMachine>(ns)).ShouldBeEmpty();
            (await kube.ListAsync<Api.DevCluster>(ns)).ShouldBeEmpty();
            (await kube.ListAsync<Api.KubeadmConfig>(ns)).ShouldBeEmpty();
            async Task<List<string>> SecretsAsync() =>
                (await kube.ListAsync<V1Secret>(ns)).Select(x => $"{x.Metadata.Name} owners=[{string.Join(",", (x.Metadata.OwnerReferences ?? []).Select(o => $"{o.Kind}/{o.Name}"))}]").ToList();
            try
            {
                await WaitFor.ConditionAsync(async () => (await SecretsAsync()).Count == 0, TimeSpan.FromSeconds(30), "the cluster's Secrets garbage collected");
            }
            catch (TimeoutException)
            {
                (await SecretsAsync()).ShouldBeEmpty();
            }
            await WaitFor.ConditionAsync(async () => await NodesAsync(workload) == 0, Timeout, "the workload cluster's Nodes gone");

            // No object's entity outlives its object: each deleted its state when its reconcile found the object gone.
            await using var hub = new DurableHost(new DurableHostOptions { ConnectionString = env.Endpoints.StorageConnectionString, EnableWorker = false });
            async Task<List<string>> LeftAsync() =>
                [.. (await hub.Client.QueryEntitiesAsync($"@{ObjectReconcileEntity.Name}@", 1000, null)).Entities.Select(e => e.InstanceId)];
            try
            {
                await WaitFor.ConditionAsync(async () => (await LeftAsync()).Count == 0, Timeout, "every object's entity deleted");
            }
            catch (TimeoutException)
            {
                (await LeftAsync()).ShouldBeEmpty();
            }
        }
        finally
        {
            await env.DisposeAsync();
            state.Delete(recursive: true);
        }
        children.ShouldAllBe(c => !c.IsRunning);
    }

    /// <summary>The Events of a namespace as "Kind/Reason", read through core v1.</summary>
    private static async Task<HashSet<string>> EventsAsync(KubeApi kube, string ns) =>
        (await kube.ListAsync<Corev1Event>(ns)).Select(e => $"{e.InvolvedObject.Kind}/{e.Reason}").ToHashSet(StringComparer.Ordinal);

    /// <summary>The app's admission webhooks are registered in the API server: a MachineDeployment CAPI's webhook refuses
    /// is refused through the API server, and the key the app serves them with is owner-readable only.</summary>
    private static async Task AssertWebhooksAsync(LocalEnvironment env, KubeApi kube, string ns)
    {
        var tls = env.WebhookTls.ShouldNotBeNull();
        if (!OperatingSystem.IsWindows()) File.GetUnixFileMode(tls.KeyFile).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var md = ManifestApplier.Parse(SmallSample(ns)).Single(o => o["kind"]!.GetValue<string>() == "MachineDeployment");
        md["metadata"]!["name"] = "refused";
        md["spec"]!["template"]!["spec"]!["version"] = "banana";
        var refused = await Should.ThrowAsync<KubeApiException>(() => new ManifestApplier(kube).ApplyAsync(md));
        refused.Message.ShouldContain("admission webhook \"validation.machinedeployment.cluster.x-k8s.io\" denied the request");
        refused.Message.ShouldContain("spec.template.spec.version");
        // The defaulting webhook runs too: a version without its "v" is admitted with it (a dry run changes nothing).
        md["spec"]!["template"]!["spec"]!["version"] = "1.33.0";
        var defaulted = await kube.SendAsync<System.Text.Json.Nodes.JsonObject>(HttpMethod.Post,
            $"/apis/cluster.x-k8s.io/v1beta2/namespaces/{ns}/machinedeployments?dryRun=All", md.ToJsonString(), "application/json");
        defaulted!["spec"]!["template"]!["spec"]!["version"]!.GetValue<string>().ShouldBe("v1.33.0");
        (await File.ReadAllTextAsync(Path.Combine(env.LogDir, "app-1.log"))).ShouldNotContain("PRIVATE KEY");

        // kill -9 of the app serving them: it comes back on the same port with the same certificate, so the
        // registration holds and the webhook refuses again (while it is down, failurePolicy Fail refuses every write).
        var certificate = await File.ReadAllTextAsync(tls.CertificateFile);
        var app = env.Apps.First();
        var killed = app.ProcessId;
        app.Kill();
        md["spec"]!["template"]!["spec"]!["version"] = "banana";
        await WaitFor.ConditionAsync(async () =>
        {
            if (app.ProcessId is not { } pid || pid == killed) return false;
            try
            {
                await new ManifestApplier(kube).ApplyAsync((System.Text.Json.Nodes.JsonObject)md.DeepClone());
                throw new InvalidOperationException("a MachineDeployment with version banana was admitted");
            }
            catch (KubeApiException e)
            {
                return e.Message.Contains("denied the request", StringComparison.Ordinal);
            }
        }, TimeSpan.FromSeconds(60), "the restarted app refusing through its webhook again");
        (await File.ReadAllTextAsync(tls.CertificateFile)).ShouldBe(certificate);
    }

    /// <summary>The app's keyed admin API and engine instance API, and its metrics, over HTTP.</summary>
    private static async Task AssertAppEndpointsAsync(LocalEnvironment env, string ns)
    {
        using var http = new HttpClient { BaseAddress = new Uri(env.AppUrl()) };
        (await http.GetAsync(new Uri("/api/admin/clusters", UriKind.Relative))).StatusCode.ShouldBe(System.Net.HttpStatusCode.Unauthorized);
        http.DefaultRequestHeaders.Add("x-functions-key", env.Endpoints.AdminKey);

        var list = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(new Uri($"/api/admin/clusters?namespace={ns}", UriKind.Relative)))!;
        var cluster = list["clusters"]!.AsArray().Single()!;
        cluster["name"]!.GetValue<string>().ShouldBe("demo");
        cluster["machines"]!["Running"]!.GetValue<int>().ShouldBe(2);
        var missing = await http.GetAsync(new Uri($"/api/admin/clusters/{ns}/nope", UriKind.Relative));
        missing.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        (await missing.Content.ReadAsStringAsync()).ShouldContain("does not exist");

        // The task hub's management API: the Cluster's entity, and its state through the entity endpoint.
        var instances = await http.GetAsync(new Uri("/runtime/webhooks/durabletask/instances?instanceIdPrefix=@objectreconcile@Cluster.", UriKind.Relative));
        instances.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        var ids = System.Text.Json.Nodes.JsonNode.Parse(await instances.Content.ReadAsStringAsync())!.AsArray().Select(i => i!["instanceId"]!.GetValue<string>()).ToList();
        ids.ShouldContain($"@objectreconcile@Cluster.{cluster["uid"]!.GetValue<string>()}");
        var entity = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(
            new Uri($"/runtime/webhooks/durabletask/entities/objectreconcile/Cluster.{cluster["uid"]!.GetValue<string>()}", UriKind.Relative)))!;
        entity["Runs"]!.GetValue<long>().ShouldBeGreaterThan(0);

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        metrics.ShouldContain("scapi_workflow_steps_total{");
        metrics.ShouldNotContain(env.Endpoints.AdminKey);
    }

    private static async Task<int> NodesAsync(KubeApi workload)
    {
        try
        {
            return (await workload.ListAsync<V1Node>(null)).Count;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return 0;
        }
    }
}
