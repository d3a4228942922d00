using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>The defaulting and validating webhook of one kind, at CAPI's paths
/// (<c>/mutate-&lt;group with dashes&gt;-v1beta2-&lt;kind&gt;</c>, <c>/validate-…</c>).</summary>
public abstract class KindWebhook
{
    protected KindWebhook(string group, string kind, string resource)
    {
        Group = group;
        Kind = kind;
        Resource = resource;
    }

    public string Group { get; }

    public string Kind { get; }

    /// <summary>The plural resource name the webhook configurations match.</summary>
    public string Resource { get; }

    /// <summary>Whether CAPI serves a defaulting webhook for the kind.</summary>
    public virtual bool Mutates => true;

    /// <summary>Operations the validating webhook is registered for (CAPI's Cluster webhook also sees DELETE).</summary>
    public virtual IReadOnlyList<string> ValidatedOperations => ["CREATE", "UPDATE"];

    public string MutatePath => $"/mutate-{Group.Replace('.', '-')}-{CapiGroups.Version}-{Kind.ToLowerInvariant()}";

    public string ValidatePath => $"/validate-{Group.Replace('.', '-')}-{CapiGroups.Version}-{Kind.ToLowerInvariant()}";

    /// <summary>The webhook configuration entry names CAPI uses (<c>default.machine.cluster.x-k8s.io</c>).</summary>
    public string MutateName => $"default.{Kind.ToLowerInvariant()}.{Group}";

    public string ValidateName => $"validation.{Kind.ToLowerInvariant()}.{Group}";

    /// <summary>Fills defaults in place; throws <see cref="AdmissionDeniedException"/> when defaulting itself fails.
    /// Returns an error list when CAPI's defaulter answers with an Invalid status.</summary>
    public abstract IReadOnlyList<FieldError> Default(KubeObject obj, KubeObject? old, AdmissionContext context);

    /// <summary>Validates a create or update (old is the stored object on updates).</summary>
    public abstract AdmissionVerdict Validate(KubeObject obj, KubeObject? old, AdmissionContext context);

    /// <summary>The group CAPI names in the Invalid status (its KubeadmControlPlane webhooks name the core group).</summary>
    protected virtual string StatusGroup => Group;

    protected AdmissionVerdict Verdict(KubeObject obj, IEnumerable<FieldError> errors, IReadOnlyList<string>? warnings = null)
    {
        var list = errors.ToList();
        return list.Count == 0 ? AdmissionVerdict.Allow(warnings) : AdmissionVerdict.Invalid(StatusGroup, Kind, obj.Metadata.Name ?? "", list, warnings);
    }
}

/// <summary>A <see cref="KindWebhook"/> over the typed object.</summary>
public abstract class KindWebhook<T> : KindWebhook where T : KubeObject
{
    protected KindWebhook(string group, string kind, string resource)
        : base(group, kind, resource)
    {
    }

    public sealed override IReadOnlyList<FieldError> Default(KubeObject obj, KubeObject? old, AdmissionContext context) =>
        Default((T)obj, old as T, context);

    public sealed override AdmissionVerdict Validate(KubeObject obj, KubeObject? old, AdmissionContext context) =>
        Validate((T)obj, old as T, context);

    protected virtual IReadOnlyList<FieldError> Default(T obj, T? old, AdmissionContext context) => [];

    protected abstract AdmissionVerdict Validate(T obj, T? old, AdmissionContext context);
}
