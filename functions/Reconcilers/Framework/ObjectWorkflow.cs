using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>The durable state of an object workflow: which object it reconciles. Everything else is
/// observed afresh on every step (never trust what a previous step concluded).</summary>
public sealed class ObjectState
{
    public string? Namespace { get; set; }
    public string? Name { get; set; }
    public string? Uid { get; set; }
    public long Reconciles { get; set; }

    /// <summary>Polls in a row that changed nothing (see <see cref="ReconcileResult.Poll"/>).</summary>
    public int QuietPolls { get; set; }
}

/// <summary>One durable instance per object; each step is one level-triggered reconcile.</summary>
/// <remarks>
/// A step reads the object fresh (gone or replaced by a namesake: the instance completes), lets the
/// kind's reconciler change it in memory, then writes metadata/spec and status back as merge patches
/// carrying the read resourceVersion — a concurrent writer makes the write fail with 409 and the step
/// simply looks again shortly (its change also wakes us). The reconciler never branches on why it
/// was woken.
/// </remarks>
public abstract class ObjectWorkflow<T>(KubeApi kube, ILogger logger) : Workflow<ObjectState>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromSeconds(1);

    protected KubeApi Kube { get; } = kube;
    protected ILogger Logger { get; } = logger;

    public override string Name
    {
        get
        {
            CapiResources.Register();
            return KubeResources.For<T>().Kind;
        }
    }

    /// <summary>A reconcile reads everything afresh: several changes delivered together need one look.</summary>
    public override bool LevelTriggered => true;

    /// <summary>Reconciles the object in memory (spec, metadata and status) and performs idempotent side effects.</summary>
    protected abstract Task<ReconcileResult> ReconcileAsync(T obj, WorkflowContext<ObjectState> context, CancellationToken ct);

    /// <summary>Called once when the object becomes paused or resumes (its Paused condition changes). The
    /// Cluster uses it to wake its objects, whose own changes are what would otherwise wake them.</summary>
    protected virtual Task OnPauseChangedAsync(T obj, bool paused, WorkflowContext<ObjectState> context, CancellationToken ct) => Task.CompletedTask;

    public override async Task<StepResult<ObjectState>> RunAsync(WorkflowContext<ObjectState> context, WorkflowEvent e, CancellationToken ct)
    {
        CapiResources.Register();
        var state = context.State;
        if (state.Uid is null)
        {
            var key = ObjectKey.FromJson(context.Input) ?? ObjectKey.FromJson(e.Payload);
            // Started by its first signal: the Started event comes first, without input; the signal carries the key.
            if (key is null && e.Kind == WorkflowEventKind.Started) return StepResult<ObjectState>.Continue(state, Wait.ForSignal, "waiting for the object key");
            if (key is null) throw new InvalidOperationException($"Instance {context.InstanceId} has no object key.");
            state.Namespace = key.Namespace;
            state.Name = key.Name;
            state.Uid = key.Uid;
        }

        var obj = await Kube.GetAsync<T>(state.Namespace, state.Name!, ct);
        if (obj is null || obj.Metadata.Uid != state.Uid)
            return StepResult<ObjectState>.Complete(state, "object deleted");

        var before = ToJson(obj);
        var pause = await PauseCheck.CheckAsync(Kube, obj, before, context.Now, ct);
        ReconcileResult result;
        if (pause.Paused)
        {
            // A paused object is left exactly as it is, apart from saying so; a change (unpausing) wakes it.
            if (pause.Changed) await OnPauseChangedAsync(obj, paused: true, context, ct);
            result = ReconcileResult.Done("paused");
        }
        else
        {
            state.Reconciles++;
            if (pause.Resumed) await OnPauseChangedAsync(obj, paused: false, context, ct);
            result = await ReconcileAsync(obj, context, ct);
        }
        try
        {
            var (gone, wrote) = await WriteBackAsync(before, obj, ct);
            if (gone) return StepResult<ObjectState>.Complete(state, "object deleted");
            // A poll backs off while its own looks find nothing new. A step woken by a change leaves the backoff as it
            // is: changes arrive as events, and the poll is only the net under them (reset by every write, a control
            // plane whose Machines were moving looked every 2 s after each of their changes).
            if (result.PollLimit is null) state.QuietPolls = 0;
            else if (e.Kind == WorkflowEventKind.TimerFired) state.QuietPolls = wrote ? 0 : state.QuietPolls + 1;
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            Logger.LogDebug("{Kind} {Namespace}/{Name} changed while reconciling; looking again", Name, state.Namespace, state.Name);
            return StepResult<ObjectState>.Continue(state, Wait.ForSignalOrUntil(context.Now + ConflictRetry), result.Summary);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return StepResult<ObjectState>.Complete(state, "object deleted");
        }

        var wait = result.DelayAfter(state.QuietPolls - 1) is { } after ? Wait.ForSignalOrUntil(context.Now + after) : Wait.ForSignal;
        return StepResult<ObjectState>.Continue(state, wait, result.Summary);
    }

    /// <summary>Writes what the reconcile changed. Says whether the object is gone afterwards (its last finalizer was
    /// removed while it was being deleted) and whether anything was written.</summary>
    private async Task<(bool Gone, bool Wrote)> WriteBackAsync(JsonObject before, T obj, CancellationToken ct)
    {
        var wrote = false;
        var after = ToJson(obj);
        var resourceVersion = obj.Metadata.ResourceVersion;
        var beforeStatus = before["status"] as JsonObject ?? [];
        var afterStatus = after["status"] as JsonObject ?? [];
        before.Remove("status");
        after.Remove("status");

        if (JsonMergePatch.Create(before, after) is { } mainPatch)
        {
            mainPatch["metadata"] ??= new JsonObject();
            mainPatch["metadata"]!["resourceVersion"] = resourceVersion;
            var written = await PatchAsync(obj, mainPatch, status: false, ct);
            Kube.OwnWrites.Record(obj.Metadata.Uid, written["metadata"]?["resourceVersion"]?.GetValue<string>());
            // A patch that removes the last finalizer of a deleting object deletes it; the response is the final state.
            if (obj.Metadata.DeletionTimestamp is not null && (obj.Metadata.Finalizers is null || obj.Metadata.Finalizers.Count == 0))
                return (true, true);
            wrote = true;
            resourceVersion = written["metadata"]?["resourceVersion"]?.GetValue<string>() ?? resourceVersion;
            // The status was computed from the spec this step just wrote: it observes the new generation.
            if (written["metadata"]?["generation"] is JsonValue generation && obj.Metadata.Generation is { } read &&
                afterStatus["observedGeneration"] is JsonValue observed && observed.TryGetValue<long>(out var o) && o == read)
            {
                afterStatus["observedGeneration"] = generation.DeepClone();
            }
        }

        if (JsonMergePatch.Create(beforeStatus, afterStatus) is { } statusPatch)
        {
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
                ["status"] = statusPatch,
            };
            var written = await PatchAsync(obj, patch, status: true, ct);
            Kube.OwnWrites.Record(obj.Metadata.Uid, written["metadata"]?["resourceVersion"]?.GetValue<string>());
            wrote = true;
        }
        return (false, wrote);
    }

    /// <summary>A merge patch of <typeparamref name="T"/>'s resource, answered as raw JSON.</summary>
    private async Task<JsonObject> PatchAsync(T obj, JsonObject patch, bool status, CancellationToken ct)
    {
        var path = $"{KubeResources.For<T>().CollectionPath(obj.Metadata.NamespaceProperty)}/{Uri.EscapeDataString(obj.Metadata.Name)}{(status ? "/status" : "")}";
        return await Kube.SendAsync<JsonObject>(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", ct)
               ?? throw new KubeApiException(System.Net.HttpStatusCode.InternalServerError, "EmptyResponse", $"PATCH {path} returned no object");
    }

    private static JsonObject ToJson(T obj) => JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
}
