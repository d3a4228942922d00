namespace ServerlessCapi.EmbeddedApiServer;

/// <summary>How to start an <see cref="EmbeddedApiServer"/>.</summary>
public sealed record EmbeddedApiServerOptions
{
    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Snapshot file: loaded at start when present, written after changes and on shutdown. Null keeps everything in memory.</summary>
    public string? DataFile { get; init; }

    /// <summary>The bearer token clients must send; null generates one.</summary>
    public string? Token { get; init; }

    /// <summary>Whether <see cref="Token"/> also opens every workload cluster. Each workload cluster always has its
    /// own token (<see cref="EmbeddedApiServer.TokenFor"/>, in its kubeconfig) that opens it alone; turn this off so
    /// that the server's token opens the management cluster only. Off by default: the in-memory cloud and the
    /// kubeconfigs its control plane writes use each cluster's own token; turn it on only for a caller that must reach
    /// every workload cluster with the one token.</summary>
    public bool ServerTokenOpensWorkloadClusters { get; init; }

    /// <summary>Serve HTTPS with a CA made at start (in the kubeconfig). kubectl sends its token only over TLS,
    /// so turning this off leaves a server only in-process clients that send the token over HTTP can use.</summary>
    public bool UseTls { get; init; } = true;

    /// <summary>Events retained per resource for resuming watches; a watch from an older version gets 410 Gone.</summary>
    public int WatchWindow { get; init; } = 10_000;

    /// <summary>How often watches that allow bookmarks get one.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Watch length when the client gives no timeoutSeconds.</summary>
    public TimeSpan DefaultWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Quiet time after a change before the snapshot is written.</summary>
    public TimeSpan SnapshotDebounce { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How admission webhooks are reached (service references) and the stage between mutating and validating admission.</summary>
    public Admission.WebhookOptions Webhooks { get; init; } = new();

    /// <summary>Where the server logs (nothing when null).</summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; init; }
}
