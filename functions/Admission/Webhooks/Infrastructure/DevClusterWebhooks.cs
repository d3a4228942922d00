using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's DevCluster webhooks: the docker backend when none is set (port 6443, failure domain flags); sorted
/// docker failure domains; and one backend only.</summary>
public sealed class DevClusterWebhook() : KindWebhook<DevCluster>(CapiGroups.Infrastructure, DevCluster.KubeKind, "devclusters")
{
    protected override IReadOnlyList<FieldError> Default(DevCluster obj, DevCluster? old, AdmissionContext context)
    {
        DevRules.DefaultCluster(obj.Spec);
        return [];
    }

    protected override AdmissionVerdict Validate(DevCluster obj, DevCluster? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        return Verdict(obj, DevRules.ValidateCluster(obj.Spec, spec)
            .Concat(DevRules.OneBackend(spec, obj.Spec.Backend.Docker, obj.Spec.Backend.InMemory is not null)));
    }
}

/// <summary>CAPI's DevClusterTemplate webhooks: the DevCluster defaults on the template; created only with
/// ClusterTopology on; an immutable <c>spec.template.spec</c>.</summary>
public sealed class DevClusterTemplateWebhook() : KindWebhook<DevClusterTemplate>(CapiGroups.Infrastructure, DevClusterTemplate.KubeKind, "devclustertemplates")
{
    protected override IReadOnlyList<FieldError> Default(DevClusterTemplate obj, DevClusterTemplate? old, AdmissionContext context)
    {
        DevRules.DefaultCluster(obj.Spec.Template.Spec);
        return [];
    }

    protected override AdmissionVerdict Validate(DevClusterTemplate obj, DevClusterTemplate? old, AdmissionContext context)
    {
        if (old is not null)
        {
            DevRules.DefaultCluster(old.Spec.Template.Spec);
            DevRules.DefaultCluster(obj.Spec.Template.Spec);
            return Verdict(obj, TemplateRules.Immutable(Kind, obj, old.Spec.Template.Spec, obj.Spec.Template.Spec, "Please create a new resource instead"));
        }
        TemplateRules.RequireClusterTopology(context);
        var spec = FieldPath.Root("spec", "template", "spec");
        var template = obj.Spec.Template;
        return Verdict(obj, DevRules.ValidateCluster(template.Spec, spec)
            .Concat(DevRules.OneBackend(spec, template.Spec.Backend.Docker, template.Spec.Backend.InMemory is not null))
            .Concat(LabelRules.ValidateTemplateMetadata(template.Metadata, FieldPath.Root("spec", "template", "metadata"))));
    }
}
