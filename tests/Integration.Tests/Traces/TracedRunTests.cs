using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Integration.Tests.Traces;

/// <summary><c>scapi up --traces FILE</c> as separate processes (Azurite, the API server, the in-memory cloud, the app
/// writing its spans to a file): one Machine's provisioning reads end to end as one trace.</summary>
public sealed class TracedRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_machine_s_provisioning_is_one_trace_from_the_relay_through_dispatch_and_its_reconcile_to_the_api_writes()
    {
        var state = Directory.CreateTempSubdirectory("scapi-traces-");
        var traces = Path.Combine(state.FullName, "traces.jsonl");
        var env = await LocalEnvironment.StartAsync(new LocalEnvironmentOptions(state.FullName, Instances: 1, PersistentStorage: false,
            AppSettings: new Dictionary<string, string> { ["Telemetry__Traces"] = traces }, BeforeApps: InstallCrdsAsync));
        try
        {
            CapiResources.Register();
            using var kube = KubeApi.FromKubeconfigFile(env.KubeconfigPath);
            const string ns = "traced";
            await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
            await new ManifestApplier(kube).ApplyAsync(ManifestApplier.Parse(SmallSample(ns)));
            var machine = await WaitFor.ValueAsync(async () =>
                (await kube.ListAsync<Api.Machine>(ns)).FirstOrDefault(m => m.Status.Phase == MachinePhase.Running), Timeout,
                $"a Running Machine (logs: {env.LogDir})");
            var name = machine.Metadata.Name;

            // Spans reach the file in batches: wait for the whole chain rather than for a moment.
            Chain? chain = null;
            await WaitFor.ConditionAsync(() => (chain = FindChain(TraceFile.Read(traces), name)) is not null, TimeSpan.FromSeconds(30),
                $"relay publish → dispatch → signal → reconcile Machine {name} → an API write, in one trace ({traces})");

            var (file, publish, dispatch, signal, reconcile, write) = chain!;
            new[] { dispatch, signal, reconcile, write }.ShouldAllBe(s => s.TraceId == publish.TraceId);
            publish.ParentSpanId.ShouldBeNull("the relay's publish starts the trace");
            publish.Attribute("cloudevents.event_id").ShouldNotBeNullOrEmpty();
            publish.Attribute("messaging.destination.name").ShouldBe("capi-events");
            dispatch.ParentSpanId.ShouldBe(publish.SpanId, "the dispatcher continues the trace the CloudEvent's traceparent names");
            dispatch.Attribute("cloudevents.event_id").ShouldBe(publish.Attribute("cloudevents.event_id"));
            file.AncestorsOf(signal).ShouldContain(dispatch);
            reconcile.ParentSpanId.ShouldBe(signal.SpanId, "the reconcile continues the signal's context from its payload");
            reconcile.Attribute("scapi.namespace").ShouldBe(ns);
            reconcile.Attribute("scapi.uid").ShouldBe(machine.Metadata.Uid);
            reconcile.Attribute("scapi.outcome").ShouldNotBeNullOrEmpty();
            write.ParentSpanId.ShouldBe(reconcile.SpanId, "the Kubernetes client's call is a child of the reconcile");
            write.Attribute("url.full").ShouldNotBeNull().ShouldContain($"/namespaces/{ns}/");
            write.Attribute("http.response.status_code").ShouldNotBeNull();

            // Identity and outcomes only: no key, token or connection string, no header or body, in any span.
            var all = TraceFile.Read(traces);
            var text = string.Join('\n', all.Spans.Select(s => s.Line));
            var kubeconfigToken = (await File.ReadAllTextAsync(env.KubeconfigPath)).Split('\n')
                .Single(l => l.TrimStart().StartsWith("token:", StringComparison.Ordinal)).Split(':', 2)[1].Trim();
            foreach (var secret in new[] { env.Endpoints.AdminKey, env.Endpoints.CloudKey, env.Endpoints.WorkloadToken, AzuriteProcess.AccountKey, kubeconfigToken })
                text.ShouldNotContain(secret);
            text.ShouldNotContain("AccountKey=");
            all.Spans.SelectMany(s => s.Attributes.Select(a => a.Key))
                .Where(k => k.Contains("header", StringComparison.OrdinalIgnoreCase) || k.Contains("body", StringComparison.OrdinalIgnoreCase))
                .ShouldBeEmpty();
        }
        finally
        {
            await env.DisposeAsync();
            state.Delete(recursive: true);
        }
    }

    private sealed record Chain(TraceFile File, Span Publish, Span Dispatch, Span Signal, Span Reconcile, Span Write);

    /// <summary>A reconcile of Machine <paramref name="name"/> that wrote to the API server (PATCH or PUT), reached from a
    /// relay publish through a dispatch and a signal.</summary>
    private static Chain? FindChain(TraceFile file, string name)
    {
        foreach (var reconcile in file.Spans.Where(s => s.Name == "reconcile" && s.IsObject("Machine", name)))
        {
            var write = file.Spans.FirstOrDefault(s => s.TraceId == reconcile.TraceId && s.ParentSpanId == reconcile.SpanId
                && s.Attribute("http.request.method") is "PATCH" or "PUT");
            if (write is null || file.ParentOf(reconcile) is not { Name: "signal" } signal) continue;
            var ancestors = file.AncestorsOf(signal).ToList();
            var dispatch = ancestors.FirstOrDefault(s => s.Name == "dispatch");
            if (dispatch is null || file.ParentOf(dispatch) is not { Name: "relay publish" } publish) continue;
            return new Chain(file, publish, dispatch, signal, reconcile, write);
        }
        return null;
    }

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
}
