namespace ServerlessCapi.Api;

/// <summary>The regular expressions CAPI's schemas use for Kubernetes names and values (RE2 syntax, which these
/// patterns share with .NET).</summary>
public static class KubePatterns
{
    /// <summary>A DNS-1123 subdomain: object names, API groups.</summary>
    public const string DnsSubdomain = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A DNS-1123 label: namespaces.</summary>
    public const string DnsLabel = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A kind name.</summary>
    public const string Kind = @"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$";

    /// <summary>An apiVersion (<c>group/version</c>).</summary>
    public const string GroupVersion = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[a-z]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>A condition type: a qualified name with an optional DNS-subdomain prefix.</summary>
    public const string ConditionType = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";

    /// <summary>A condition reason in CamelCase.</summary>
    public const string ConditionReason = @"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

    /// <summary>A label key (taint keys follow it).</summary>
    public const string LabelKey = @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";

    /// <summary>A label value, possibly empty (taint values follow it).</summary>
    public const string LabelValue = @"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

    /// <summary>A resource quantity such as <c>4Gi</c> or <c>500m</c>.</summary>
    public const string Quantity = @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>A range of Machine counts, <c>[min-max]</c>.</summary>
    public const string CountRange = @"^\[[0-9]+-[0-9]+\]$";
}
