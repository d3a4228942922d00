using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's DevMachine webhooks: the docker backend when none is set; docker's customImage immutable. The
/// product adds: one backend only, and a providerID that, once set, stays (Machines copy it and Nodes are matched by it).</summary>
public sealed class DevMachineWebhook() : KindWebhook<DevMachine>(CapiGroups.Infrastructure, DevMachine.KubeKind, "devmachines")
{
    protected override IReadOnlyList<FieldError> Default(DevMachine obj, DevMachine? old, AdmissionContext context)
    {
        obj.Spec.Backend.Docker = DevRules.DefaultDocker(obj.Spec.Backend.Docker, obj.Spec.Backend.InMemory is not null);
        return [];
    }

    protected override AdmissionVerdict Validate(DevMachine obj, DevMachine? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = DevRules.OneBackend(spec, obj.Spec.Backend.Docker, obj.Spec.Backend.InMemory is not null).ToList();
        if (old is not null)
        {
            if (old.Spec.Backend.Docker is not null && obj.Spec.Backend.Docker is not null
                && KubeadmConfigRules.Property(old.Spec.Backend.Docker, "customImage")?.ToString() != KubeadmConfigRules.Property(obj.Spec.Backend.Docker, "customImage")?.ToString())
                errors.Add(FieldError.Forbidden(spec.Child("backend", "docker", "customImage"), "cannot be modified"));
            if (!string.IsNullOrEmpty(old.Spec.ProviderId) && old.Spec.ProviderId != obj.Spec.ProviderId)
                errors.Add(FieldError.Forbidden(spec.Child("providerID"), "field is immutable once set"));
        }
        return Verdict(obj, errors);
    }
}

/// <summary>CAPI's DevMachineTemplate webhooks: the docker backend when none is set; template metadata; an immutable
/// <c>spec.template.spec</c> (except for the topology controller's dry runs).</summary>
public sealed class DevMachineTemplateWebhook() : KindWebhook<DevMachineTemplate>(CapiGroups.Infrastructure, DevMachineTemplate.KubeKind, "devmachinetemplates")
{
    private const string DryRunAnnotation = "topology.cluster.x-k8s.io/dry-run";

    protected override IReadOnlyList<FieldError> Default(DevMachineTemplate obj, DevMachineTemplate? old, AdmissionContext context)
    {
        var backend = obj.Spec.Template.Spec.Backend;
        backend.Docker = DevRules.DefaultDocker(backend.Docker, backend.InMemory is not null);
        return [];
    }

    protected override AdmissionVerdict Validate(DevMachineTemplate obj, DevMachineTemplate? old, AdmissionContext context)
    {
        var template = obj.Spec.Template;
        var spec = FieldPath.Root("spec", "template", "spec");
        var errors = DevRules.OneBackend(spec, template.Spec.Backend.Docker, template.Spec.Backend.InMemory is not null).ToList();
        var dryRun = context.DryRun && (obj.Metadata.Annotations?.ContainsKey(DryRunAnnotation) ?? false);
        if (old is not null && !dryRun)
            errors.AddRange(TemplateRules.Immutable(Kind, obj, old.Spec.Template.Spec, template.Spec, "Please create a new resource instead"));
        errors.AddRange(LabelRules.ValidateTemplateMetadata(template.Metadata, FieldPath.Root("spec", "template", "metadata")));
        return Verdict(obj, errors);
    }
}
