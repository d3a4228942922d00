namespace ServerlessCapi.Reconcilers.Events;

/// <summary>Tunables of the <see cref="EventRecorder"/>; the defaults are client-go's.</summary>
public sealed record EventRecorderOptions
{
    /// <summary>Who wrote the Events (events.k8s.io <c>reportingInstance</c>, at most 128 characters).</summary>
    public string ReportingInstance { get; init; } = DefaultInstance();

    /// <summary>Events one object may get for one reason before the rate limit applies (client-go's spam filter burst).</summary>
    public int Burst { get; init; } = 25;

    /// <summary>After the burst, one more Event per object and reason each interval (client-go: one per 5 minutes).</summary>
    public TimeSpan RefillInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Events and rate-limit buckets remembered per process (least recently used go first; client-go: 4096).</summary>
    public int CacheSize { get; init; } = 4096;

    /// <summary>The longest one Event may hold up a reconcile; past it the Event is given up.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    private static string DefaultInstance()
    {
        var host = Environment.MachineName;
        var instance = $"serverless-capi-{host}";
        return instance.Length <= 128 ? instance : instance[..128];
    }
}
