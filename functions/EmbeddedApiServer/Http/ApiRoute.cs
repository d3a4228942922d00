namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>What a request path names.</summary>
public enum RouteKind { Version, CoreVersions, Groups, Group, ResourceList, Resource, OpenApiV2, OpenApiV3, Health, Metrics, Unknown }

/// <summary>A parsed request path (after the optional <c>/clusters/{name}</c> prefix).</summary>
public sealed record ApiRoute(RouteKind Kind, string Cluster)
{
    public string Group { get; init; } = "";
    public string Version { get; init; } = "";
    public string? Namespace { get; init; }
    public string Resource { get; init; } = "";
    public string? Name { get; init; }
    public string? Subresource { get; init; }
    public bool LegacyWatch { get; init; }
    public string Rest { get; init; } = "";

    private static readonly HashSet<string> NamespaceSubresources = new(StringComparer.Ordinal) { "status", "finalize" };

    public static ApiRoute Parse(string path)
    {
        var segs = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var cluster = "";
        if (segs.Length >= 2 && segs[0] == "clusters")
        {
            cluster = Uri.UnescapeDataString(segs[1]);
            segs = segs[2..];
        }
        if (segs.Length == 0) return new ApiRoute(RouteKind.Unknown, cluster);
        switch (segs[0])
        {
            case "version" when segs.Length == 1: return new ApiRoute(RouteKind.Version, cluster);
            case "healthz" or "livez" or "readyz": return new ApiRoute(RouteKind.Health, cluster);
            case "metrics" when segs.Length == 1: return new ApiRoute(RouteKind.Metrics, cluster);
            case "openapi" when segs.Length >= 2 && segs[1] == "v2": return new ApiRoute(RouteKind.OpenApiV2, cluster);
            case "openapi" when segs.Length >= 2 && segs[1] == "v3":
                return new ApiRoute(RouteKind.OpenApiV3, cluster) { Rest = string.Join('/', segs[2..]) };
            case "api":
                if (segs.Length == 1) return new ApiRoute(RouteKind.CoreVersions, cluster);
                return Resources(cluster, "", segs[1], segs[2..]);
            case "apis":
                if (segs.Length == 1) return new ApiRoute(RouteKind.Groups, cluster);
                if (segs.Length == 2) return new ApiRoute(RouteKind.Group, cluster) { Group = segs[1] };
                return Resources(cluster, segs[1], segs[2], segs[3..]);
            default: return new ApiRoute(RouteKind.Unknown, cluster);
        }
    }

    private static ApiRoute Resources(string cluster, string group, string version, string[] rest)
    {
        if (rest.Length == 0) return new ApiRoute(RouteKind.ResourceList, cluster) { Group = group, Version = version };
        var legacyWatch = false;
        if (rest[0] == "watch")
        {
            legacyWatch = true;
            rest = rest[1..];
        }
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(rest.Length == 3 && NamespaceSubresources.Contains(rest[2])))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length is 0 or > 3) return new ApiRoute(RouteKind.Unknown, cluster);
        return new ApiRoute(RouteKind.Resource, cluster)
        {
            Group = group,
            Version = version,
            Namespace = ns,
            Resource = rest[0],
            Name = rest.Length > 1 ? rest[1] : null,
            Subresource = rest.Length > 2 ? rest[2] : null,
            LegacyWatch = legacyWatch,
        };
    }
}
