using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.Ownership;
using ServerlessCapi.Reconcilers.Events;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>The reconcile contract: a key in, a result out. The host (today the durable engine's workflow, see
/// <c>Hosting/ObjectWorkflow</c>) keeps the state, timers and signals; a reconciler knows nothing of it.</summary>
/// <remarks>An exception means "retry with backoff", for ever; only <see cref="ReconcileResult.Terminal"/> stops an
/// object, until its next change or an admin request wakes it again.</remarks>
public interface IObjectReconciler
{
    /// <summary>The kind reconciled (also the name its host registers it under).</summary>
    string Kind { get; }

    /// <summary>Reconciles the object <paramref name="context"/> names, reading it fresh.</summary>
    Task<ReconcileOutcome> ReconcileAsync(ReconcileContext context, CancellationToken ct);
}

/// <summary>What one reconcile came to.</summary>
/// <param name="Result">What the reconciler asks for next.</param>
/// <param name="Gone">The object no longer exists (or its name now belongs to a new object): nothing is left to do.</param>
/// <param name="Wrote">The reconcile wrote the object (a poll that writes starts its backoff over).</param>
/// <param name="Reconciled">False when the object was paused and only its Paused condition was looked after.</param>
/// <param name="Conflicted">The write met a concurrent change: the result is a short look again.</param>
public sealed record ReconcileOutcome(ReconcileResult Result, bool Gone = false, bool Wrote = false, bool Reconciled = true, bool Conflicted = false)
{
    public static ReconcileOutcome Deleted { get; } = new(ReconcileResult.Done("object deleted"), Gone: true, Reconciled: false);
}

/// <summary>What a reconcile can read of its host and ask of it: the key, the time, and wakes of other objects (sent
/// once the reconcile's result is kept).</summary>
public sealed class ReconcileContext(ObjectKey key, DateTimeOffset now)
{
    private readonly List<ObjectKey> _wakes = [];

    public ObjectKey Key => key;

    /// <summary>The host's clock, the same for the whole reconcile.</summary>
    public DateTimeOffset Now => now;

    /// <summary>Other objects this reconcile asked to reconcile again.</summary>
    public IReadOnlyList<ObjectKey> Wakes => _wakes;

    /// <summary>Asks for <paramref name="other"/> to be reconciled again (for what sends it no event of its own).</summary>
    public void Wake(ObjectKey other) => _wakes.Add(other);
}

/// <summary>The base of every kind's reconciler: reads the object fresh (gone or replaced by a namesake: done), checks
/// the pause, lets the kind change it in memory, then writes metadata/spec and status back once, as merge patches
/// carrying the read resourceVersion (a concurrent writer makes the write fail with 409 and the object is looked at
/// again shortly; its change also wakes it). The kind never branches on why it was woken. Errors the phases collected
/// (<see cref="PhaseRunner{TScope}"/>) are thrown after the write, so what was observed is still reported.</summary>
/// <param name="events">The process's recorder (from the container); without one, the one shared by <paramref name="kube"/>.</param>
public abstract class ObjectReconciler<T>(KubeApi kube, ILogger logger, EventRecorder? events = null) : IObjectReconciler
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromSeconds(1);

    protected KubeApi Kube { get; } = kube;
    protected ILogger Logger { get; } = logger;

    /// <summary>Where this reconciler's Kubernetes Events go.</summary>
    protected EventRecorder Events { get; } = events ?? EventRecorder.For(kube);

    /// <summary>The reporting controller of its Events: CAPI's controller name for the kind (<c>machineset-controller</c>).</summary>
    protected virtual string ReportingController => $"{Kind.ToLowerInvariant()}-controller";

    /// <summary>Records a Normal Event on <paramref name="regarding"/> (best effort: never fails the reconcile).</summary>
    protected Task NormalEventAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string action, string note, CancellationToken ct) =>
        Events.RecordAsync(regarding, ReportingController, EventRecorder.Normal, reason, action, note, ct);

    /// <summary>Records a Warning Event on <paramref name="regarding"/> (best effort: never fails the reconcile).</summary>
    protected Task WarningEventAsync(IKubernetesObject<V1ObjectMeta> regarding, string reason, string action, string note, CancellationToken ct) =>
        Events.RecordAsync(regarding, ReportingController, EventRecorder.Warning, reason, action, note, ct);

    public string Kind
    {
        get
        {
            CapiResources.Register();
            return KubeResources.For<T>().Kind;
        }
    }

    /// <summary>Reconciles the object in memory (spec, metadata and status) and performs idempotent side effects.</summary>
    protected abstract Task<ReconcileResult> ReconcileAsync(T obj, ReconcileContext context, CancellationToken ct);

    /// <summary>Called once when the object becomes paused or resumes (its Paused condition changes). The
    /// Cluster uses it to wake its objects, whose own changes are what would otherwise wake them.</summary>
    protected virtual Task OnPauseChangedAsync(T obj, bool paused, ReconcileContext context, CancellationToken ct) => Task.CompletedTask;

    public async Task<ReconcileOutcome> ReconcileAsync(ReconcileContext context, CancellationToken ct)
    {
        CapiResources.Register();
        var key = context.Key;
        var obj = await Kube.GetAsync<T>(key.Namespace, key.Name, ct);
        if (obj is null || obj.Metadata.Uid != key.Uid) return ReconcileOutcome.Deleted;

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
            if (pause.Resumed) await OnPauseChangedAsync(obj, paused: false, context, ct);
            try
            {
                result = await ReconcileAsync(obj, context, ct);
            }
            catch (InvalidOwnerReferenceException e)
            {
                result = ReportInvalidOwner(obj, e, context.Now);
            }
            if (result.Error is { } failure && InvalidOwner(failure) is { } invalidOwner)
                result = ReportInvalidOwner(obj, invalidOwner, context.Now);
        }
        bool wrote;
        try
        {
            var (gone, written) = await WriteBackAsync(before, obj, ct);
            if (gone) return ReconcileOutcome.Deleted;
            wrote = written;
        }
        catch (KubeApiException ex) when (ex.IsConflict)
        {
            Logger.LogDebug("{Kind} {Namespace}/{Name} changed while reconciling; looking again", Kind, key.Namespace, key.Name);
            return new ReconcileOutcome(ReconcileResult.Requeue(ConflictRetry, result.Summary), Reconciled: !pause.Paused, Conflicted: true);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return ReconcileOutcome.Deleted;
        }
        // What the phases observed is written; now their errors ask for a retry with backoff.
        if (result.Error is { } error) throw error;
        return new ReconcileOutcome(result, Wrote: wrote, Reconciled: !pause.Paused);
    }

    /// <summary>Writes <paramref name="finalizer"/> now, fenced by the read resourceVersion, rather than with the rest
    /// at the end: for a reconciler about to create something outside the cluster (a VM), so that nothing is created
    /// that the object's deletion would not clean up. A conflict (the object changed, perhaps started deleting)
    /// throws and the reconcile runs again on fresh state, having created nothing.</summary>
    protected async Task PersistFinalizerAsync(T obj, string finalizer, CancellationToken ct)
    {
        if (obj.Metadata.Finalizers?.Contains(finalizer) == true) return;
        var finalizers = new JsonArray();
        foreach (var f in obj.Metadata.Finalizers ?? []) finalizers.Add(f);
        finalizers.Add(finalizer);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = obj.Metadata.ResourceVersion, ["finalizers"] = finalizers },
        };
        var written = await PatchAsync(obj, patch, status: false, ct);
        var resourceVersion = written["metadata"]?["resourceVersion"]?.GetValue<string>();
        Kube.OwnWrites.Record(obj.Metadata.Uid, resourceVersion);
        obj.Metadata.Finalizers ??= [];
        obj.Metadata.Finalizers.Add(finalizer);
        obj.Metadata.ResourceVersion = resourceVersion ?? obj.Metadata.ResourceVersion;
    }

    /// <summary>An owner reference that would have pointed at nothing was refused (<see cref="OwnerRefs"/>): retrying
    /// cannot fix what the object says, so it is reported on the object and parked until it changes.</summary>
    private ReconcileResult ReportInvalidOwner(T obj, InvalidOwnerReferenceException e, DateTimeOffset now)
    {
        var problem = new InputProblem(InvalidInput.InvalidOwnerReference, e.Message);
        if (obj.GetType().GetProperty("Status")?.GetValue(obj) is IConditionsStatus status)
            return InvalidInput.Report(Logger, Kind, obj.Metadata, status, problem, now);
        Logger.LogWarning("{Kind} {Namespace}/{Name} not reconciled: {Reason}: {Message}", Kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name, problem.Reason, problem.Message);
        return ReconcileResult.Terminal($"{problem.Reason}: {problem.Message}");
    }

    private static InvalidOwnerReferenceException? InvalidOwner(Exception error) => error switch
    {
        InvalidOwnerReferenceException e => e,
        AggregateException a => a.InnerExceptions.OfType<InvalidOwnerReferenceException>().FirstOrDefault(),
        _ => null,
    };

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
