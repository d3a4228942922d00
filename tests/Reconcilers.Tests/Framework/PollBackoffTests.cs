using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Tests.Integration;

namespace ServerlessCapi.Reconcilers.Tests.Framework;

/// <summary>How an object workflow's safety-net poll backs off, step by step against the API server.</summary>
public sealed class PollBackoffTests : IDisposable
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly Harness _h = Harness.StartAsync().GetAwaiter().GetResult();

    public void Dispose() => _h.Dispose();

    /// <summary>Polls; writes an annotation (a change of its own) when told to.</summary>
    private sealed class Poller(KubeApi kube) : ObjectReconciler<Api.Cluster>(kube, NullLogger.Instance)
    {
        public bool Write { get; set; }

        protected override Task<ReconcileResult> ReconcileAsync(Api.Cluster obj, ReconcileContext context, CancellationToken ct)
        {
            if (Write)
            {
                obj.Metadata.Annotations ??= new Dictionary<string, string>();
                obj.Metadata.Annotations["test/written"] = Guid.NewGuid().ToString("N");
            }
            return Task.FromResult(ReconcileResult.Poll(First, Limit, "polling"));
        }
    }

    [Fact]
    public async Task Quiet_looks_double_the_wait_and_steps_woken_by_changes_leave_it_as_it_is()
    {
        var cluster = await _h.CreateClusterAsync("poller");
        var workflow = new Poller(_h.Kube);
        var driver = new StepDriver(workflow, new ObjectKey("Cluster", _h.Namespace, cluster.Metadata.Name, cluster.Metadata.Uid));
        await driver.StepAsync();

        async Task<TimeSpan> Step(bool timer, bool write)
        {
            workflow.Write = write;
            await driver.StepAsync(timer);
            return driver.RequeueAfter.ShouldNotBeNull();
        }

        (await Step(timer: true, write: false)).ShouldBe(First);
        (await Step(timer: true, write: false)).ShouldBe(2 * First);
        // Changes keep coming as events, each written back: the poll under them does not start over.
        (await Step(timer: false, write: true)).ShouldBe(2 * First);
        (await Step(timer: false, write: true)).ShouldBe(2 * First);
        (await Step(timer: true, write: false)).ShouldBe(4 * First);
        // A look of its own that found something new starts the backoff again.
        (await Step(timer: true, write: true)).ShouldBe(First);
    }
}
