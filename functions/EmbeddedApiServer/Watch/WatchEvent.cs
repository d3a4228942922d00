using System.Text;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Watch;

/// <summary>One committed change of a resource, kept in that resource's window for resuming watches.</summary>
public sealed class WatchEvent(string type, long resourceVersion, StoredObject obj, StoredObject? previous)
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";

    private StoredObject? _previousAtThisVersion;

    public string Type { get; } = type;
    public long ResourceVersion { get; } = resourceVersion;
    public StoredObject Object { get; } = obj;

    /// <summary>The object before this change (null for a creation).</summary>
    public StoredObject? Previous { get; } = previous;

    /// <summary>The previous state stamped with this event's version: what a watcher whose selector the
    /// object just left receives as DELETED (as kube-apiserver's watch cache does).</summary>
    public StoredObject PreviousAtThisVersion => _previousAtThisVersion ??= Previous!.WithResourceVersion(ResourceVersion);
}

/// <summary>What one watcher is sent: an event with its object, a bookmark, or an error.</summary>
public readonly record struct WatchDelivery(string Type, StoredObject? Object, long ResourceVersion, bool InitialEventsEnd = false)
{
    /// <summary>The serialised frame of a plain JSON watch, shared by every watcher of the same object.</summary>
    public static byte[] Frame(string type, byte[] objectJson)
    {
        var prefix = Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":");
        var frame = new byte[prefix.Length + objectJson.Length + 2];
        prefix.CopyTo(frame, 0);
        objectJson.CopyTo(frame, prefix.Length);
        frame[^2] = (byte)'}';
        frame[^1] = (byte)'\n';
        return frame;
    }
}
