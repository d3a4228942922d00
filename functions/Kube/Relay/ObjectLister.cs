using System.Text.Json;
using k8s;
using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Lists every object of a kind (all namespaces, in pages) as event data.</summary>
public static class ObjectLister
{
    public static async Task<(IReadOnlyList<ObjectEventData> Objects, string? ResourceVersion)> ListAsync(
        IKubernetes client, RelayKind kind, CancellationToken ct)
    {
        var objects = new List<ObjectEventData>();
        string? cont = null;
        string? listVersion = null;
        do
        {
            var page = Page(await client.CustomObjects.ListClusterCustomObjectAsync(
                kind.Group, kind.Version, kind.Plural, continueParameter: cont, limit: 500, cancellationToken: ct));
            objects.AddRange((page.Items ?? []).Select(i => i.ToEventData(kind, deleted: false)).Where(o => o.Uid.Length > 0));
            cont = page.Metadata?.ContinueProperty;
            listVersion ??= page.Metadata?.ResourceVersion;
        }
        while (!string.IsNullOrEmpty(cont));
        return (objects, listVersion);
    }

    /// <summary>The event data the relay sends for one object of <paramref name="kind"/> (JSON as the API server serves it),
    /// without what it touched (everything).</summary>
    public static ObjectEventData EventDataOf(RelayKind kind, object obj, bool deleted) => WatchedObject.From(obj).ToEventData(kind, deleted);

    private static WatchedList Page(object? value) => value switch
    {
        JsonElement element => KubernetesJson.Deserialize<WatchedList>(element.GetRawText()),
        null => new WatchedList(),
        _ => KubernetesJson.Deserialize<WatchedList>(KubernetesJson.Serialize(value)),
    };
}
