using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Kube.Relay;

/// <summary>A kind the relay watches.</summary>
public sealed record RelayKind(string Group, string Version, string Plural, string Kind)
{
    public string ApiVersion => $"{Group}/{Version}";

    /// <summary>Dotted paths of <c>{kind, name}</c> references in the object (<c>spec.infrastructureRef</c>) to objects in its
    /// namespace that wait on it; events carry them so routes can wake those objects without reading this one.</summary>
    public IReadOnlyList<string> References { get; init; } = [];
    public override string ToString() => $"{Plural}.{Group}";
}

/// <summary>How the relay runs: always (standalone), in bounded slices from a timer (serverless), or not at all.</summary>
public enum RelayMode
{
    Continuous,
    Bounded,
    Off,
}

/// <summary>Relay settings (app settings section <c>Relay</c>).</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    /// <summary>Names the management cluster in the events' source and in leases and checkpoints.</summary>
    public string ClusterName { get; set; } = "management";

    public RelayMode Mode { get; set; } = RelayMode.Continuous;

    /// <summary>The queue events go to (the dispatcher's trigger queue).</summary>
    public string Queue { get; set; } = "capi-events";

    /// <summary>Optional Event Grid topic that receives the same events (with <see cref="EventGridKey"/>).</summary>
    public string? EventGridEndpoint { get; set; }
    public string? EventGridKey { get; set; }

    public string LeaseContainer { get; set; } = "scapi-relay";

    /// <summary>Blob lease length (15–60 s): a standby takes over a crashed relay within this plus <see cref="StandbyRetry"/>.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan StandbyRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Release the lease when stopping so a standby takes over at once; false leaves it to expire,
    /// as after a crash (fault tests use that).</summary>
    public bool ReleaseLeaseOnStop { get; set; } = true;

    public string CheckpointTable { get; set; } = "RelayCheckpoints";

    /// <summary>Changes of one object within this window become one event (the newest).</summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one watch request lasts before it is renewed (server-side timeout).</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Bounded mode: how long one timer run watches before it checkpoints and returns.</summary>
    public TimeSpan BoundedDuration { get; set; } = TimeSpan.FromSeconds(50);

    /// <summary>The kinds to watch; empty means <see cref="DefaultKinds"/> (configuration binding appends to a
    /// list, so the defaults are not pre-filled).</summary>
    public List<RelayKind> Kinds { get; set; } = [];

    public IReadOnlyList<RelayKind> WatchedKinds => Kinds.Count > 0 ? Kinds : DefaultKinds;

    /// <summary>The kinds watched when the settings name none: the app sets them from its registry of reconciled kinds.</summary>
    public IReadOnlyList<RelayKind> DefaultKinds { get; set; } = [];

    /// <summary>The aspects, beyond metadata and status, whose changes events report on their own (routes fire on them).</summary>
    public IReadOnlyList<ObjectAspect> Aspects { get; set; } = [];
}
