using System.Text.Json.Nodes;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Kube.Events;

/// <summary>Finds the uid of an object known only by kind, namespace and name (for label routes).</summary>
public interface IObjectLookup
{
    Task<string?> UidAsync(RouteTarget target, CancellationToken ct);
}

/// <summary>Reads the object from the management cluster; kinds map to resources through the relay's kind list.</summary>
public sealed class KubeObjectLookup(KubeApi kube, IReadOnlyList<RelayKind> kinds) : IObjectLookup
{
    public async Task<string?> UidAsync(RouteTarget target, CancellationToken ct)
    {
        if (target.Uid is not null) return target.Uid;
        var kind = kinds.FirstOrDefault(k => k.Kind == target.Kind);
        if (kind is null) return null;
        var path = target.Namespace is null
            ? $"/apis/{kind.Group}/{kind.Version}/{kind.Plural}/{Uri.EscapeDataString(target.Name)}"
            : $"/apis/{kind.Group}/{kind.Version}/namespaces/{Uri.EscapeDataString(target.Namespace)}/{kind.Plural}/{Uri.EscapeDataString(target.Name)}";
        try
        {
            var obj = await kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
            return obj?["metadata"]?["uid"]?.GetValue<string>();
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
