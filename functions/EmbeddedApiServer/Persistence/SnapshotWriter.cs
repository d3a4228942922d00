using Microsoft.Extensions.Logging;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Persistence;

/// <summary>Writes a snapshot a short while after a change, and once more on shutdown.</summary>
/// <remarks>Each snapshot writes every object, so its cost grows with the store: after one that took <c>d</c>, the next
/// waits at least <see cref="PauseFactor"/> × <c>d</c>. A store of a few hundred objects is still written about once a
/// second after a change; one of tens of thousands (a 1,000-cluster fleet, where a snapshot every second kept a core
/// busy copying) spends at most a tenth of a core on snapshots, and a crash loses the changes of a few seconds more.</remarks>
public sealed class SnapshotWriter : IAsyncDisposable
{
    /// <summary>The pause after a snapshot, in multiples of the time it took.</summary>
    public const int PauseFactor = 9;

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
        try
        {
            var pause = debounce;
            while (true)
            {
                await Task.Delay(pause, _stop.Token);
                if (Interlocked.Exchange(ref _dirty, 0) == 0)
                {
                    pause = debounce;
                    continue;
                }
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                Save();
                var took = System.Diagnostics.Stopwatch.GetElapsedTime(started);
                pause = took * PauseFactor > debounce ? took * PauseFactor : debounce;
                _logger.LogDebug("API server snapshot written in {Ms} ms; next one in {Pause} ms at the earliest",
                    (int)took.TotalMilliseconds, (int)pause.TotalMilliseconds);
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
