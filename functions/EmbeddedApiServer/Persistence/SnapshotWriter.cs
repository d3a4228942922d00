using Microsoft.Extensions.Logging;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Persistence;

/// <summary>Writes a snapshot a short while after changes stop arriving (debounced), and once more on shutdown.</summary>
public sealed class SnapshotWriter : IAsyncDisposable
{
    private readonly string _path;
    private readonly ClusterRegistry _clusters;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _dirty;

    public SnapshotWriter(string path, ClusterRegistry clusters, TimeSpan debounce, ILogger logger)
    {
        _path = path;
        _clusters = clusters;
        _logger = logger;
        clusters.Changed += () => Interlocked.Exchange(ref _dirty, 1);
        _loop = Task.Run(() => LoopAsync(debounce));
    }

    private async Task LoopAsync(TimeSpan debounce)
    {
        using var timer = new PeriodicTimer(debounce);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (Interlocked.Exchange(ref _dirty, 0) == 1) Save();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down; the final save follows.
        }
    }

    private void Save()
    {
        try
        {
            SnapshotFile.Save(_path, _clusters.All);
        }
        catch (IOException e)
        {
            Interlocked.Exchange(ref _dirty, 1);
            _logger.LogWarning(e, "Could not write the API server snapshot {Path}", _path);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        Save();
        _stop.Dispose();
    }
}
