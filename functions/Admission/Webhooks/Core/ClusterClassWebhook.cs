using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's ClusterClass webhook for what needs no other object: unique worker class, variable and patch names,
/// naming templates that render to valid names, well-formed variable definitions and patches, and template references
/// whose API group and kind do not change on update. Checks against the Clusters that use the class (a class still in
/// use may not be removed) need a lookup and are not made here; the topology reconciler reports them instead.</summary>
public sealed class ClusterClassWebhook() : KindWebhook<ClusterClass>(CapiGroups.Core, ClusterClass.KubeKind, "clusterclasses")
{
    private const string BuiltinPrefix = "builtin";

    public override bool Mutates => false;

    protected override AdmissionVerdict Validate(ClusterClass obj, ClusterClass? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        errors.AddRange(Naming(spec.Child("infrastructure", "naming", "template"), obj.Spec.Infrastructure.Naming?.Template, null, null));
        errors.AddRange(Naming(spec.Child("controlPlane", "naming", "template"), obj.Spec.ControlPlane.Naming?.Template, null, null));
        var mds = obj.Spec.Workers?.MachineDeployments ?? [];
        var mdPath = spec.Child("workers", "machineDeployments");
        errors.AddRange(Unique(mds.Select(m => m.Class), i => mdPath.Index(i).Child("class"), "MachineDeployment class must be unique"));
        for (var i = 0; i < mds.Count; i++)
            errors.AddRange(Naming(mdPath.Index(i).Child("naming", "template"), mds[i].Naming?.Template, "md-0", null));
        var mps = obj.Spec.Workers?.MachinePools ?? [];
        var mpPath = spec.Child("workers", "machinePools");
        errors.AddRange(Unique(mps.Select(m => m.Class), i => mpPath.Index(i).Child("class"), "MachinePool class must be unique"));
        for (var i = 0; i < mps.Count; i++)
            errors.AddRange(Naming(mpPath.Index(i).Child("naming", "template"), mps[i].Naming?.Template, null, "mp-0"));

        var variables = obj.Spec.Variables ?? [];
        var variablesPath = spec.Child("variables");
        errors.AddRange(Unique(variables.Select(v => v.Name), i => variablesPath.Index(i).Child("name"), "variable names must be unique"));
        for (var i = 0; i < variables.Count; i++)
        {
            var name = variables[i].Name;
            if (name == BuiltinPrefix || name.StartsWith(BuiltinPrefix + ".", StringComparison.Ordinal))
                errors.Add(FieldError.Invalid(variablesPath.Index(i).Child("name"), name, $"\"{BuiltinPrefix}\" is a reserved variable name"));
            if (name.Contains('.', StringComparison.Ordinal))
                errors.Add(FieldError.Invalid(variablesPath.Index(i).Child("name"), name, "variable name cannot contain \".\""));
            var schema = variables[i].Schema.OpenApiV3Schema;
            if (string.IsNullOrEmpty(schema.Type) && schema.XPreserveUnknownFields != true && schema.XIntOrString != true)
                errors.Add(FieldError.Required(variablesPath.Index(i).Child("schema", "openAPIV3Schema", "type"), "must not be empty for specified object fields"));
            foreach (var required in schema.Required ?? [])
            {
                if (schema.Properties?.ContainsKey(required) != true)
                    errors.Add(FieldError.Invalid(variablesPath.Index(i).Child("schema", "openAPIV3Schema", "required"), required, "required field must be a defined property"));
            }
        }
        errors.AddRange(Patches(spec.Child("patches"), obj.Spec.Patches ?? [], variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal)));
        if (old is not null)
            errors.AddRange(CompatibleRefs(obj, old, spec));
        return Verdict(obj, errors);
    }

    private static IEnumerable<FieldError> Naming(FieldPath path, string? template, string? machineDeployment, string? machinePool)
    {
        if (template is null) yield break;
        if (!TopologyNames.TryRender(template, "cluster", machineDeployment, machinePool, out var name, out var error))
            yield return FieldError.Invalid(path, template, $"invalid name template: {error}");
        else if (!TopologyNames.IsValidName(name))
            yield return FieldError.Invalid(path, template, $"invalid name template: it renders {name}, which is not a valid object name");
    }

    private static IEnumerable<FieldError> Unique(IEnumerable<string> names, Func<int, FieldPath> path, string detail)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var name in names)
        {
            if (!seen.Add(name))
                yield return new FieldError(FieldErrorType.Duplicate, path(i).ToString(), System.Text.Json.Nodes.JsonValue.Create(name), detail, true);
            i++;
        }
    }

    private static IEnumerable<FieldError> Patches(FieldPath path, List<ClusterClassPatch> patches, HashSet<string> variables)
    {
        foreach (var e in Unique(patches.Select(p => p.Name), i => path.Index(i).Child("name"), "patch names must be unique"))
            yield return e;
        for (var i = 0; i < patches.Count; i++)
        {
            var p = patches[i];
            var patchPath = path.Index(i);
            var hasDefinitions = p.Definitions is { Count: > 0 };
            if (hasDefinitions == (p.External is not null))
                yield return FieldError.Invalid(patchPath, p.Name, hasDefinitions ? "only one of definitions or external can be set" : "one of definitions or external must be set");
            for (var d = 0; d < (p.Definitions?.Count ?? 0); d++)
            {
                var definitionPath = patchPath.Child("definitions").Index(d);
                var jsonPatches = p.Definitions![d].JsonPatches;
                for (var j = 0; j < jsonPatches.Count; j++)
                {
                    foreach (var e in JsonPatchErrors(definitionPath.Child("jsonPatches").Index(j), jsonPatches[j], variables))
                        yield return e;
                }
            }
        }
    }

    private static IEnumerable<FieldError> JsonPatchErrors(FieldPath path, JsonPatch patch, HashSet<string> variables)
    {
        if (!patch.Path.StartsWith("/spec/", StringComparison.Ordinal))
            yield return FieldError.Invalid(path.Child("path"), patch.Path, "jsonPatch path must start with \"/spec/\"");
        var hasValue = patch.Value is not null;
        var hasValueFrom = patch.ValueFrom is not null;
        if (patch.Op == JsonPatch.Remove)
        {
            if (hasValue || hasValueFrom)
                yield return FieldError.Invalid(path, patch.Op, "value and valueFrom must not be set for op \"remove\"");
            yield break;
        }
        if (hasValue == hasValueFrom)
            yield return FieldError.Invalid(path, patch.Op, "exactly one of value or valueFrom must be set");
        if (patch.ValueFrom is { } from)
        {
            if ((from.Variable is null) == (from.Template is null))
                yield return FieldError.Invalid(path.Child("valueFrom"), from.Variable ?? from.Template ?? "", "exactly one of variable or template must be set");
            if (from.Variable is { } variable)
            {
                var root = variable.Split('.')[0];
                if (root != BuiltinPrefix && !variables.Contains(root))
                    yield return FieldError.Invalid(path.Child("valueFrom", "variable"), variable, $"variable with name {root} cannot be found");
            }
        }
    }

    /// <summary>ObjectReferencesAreCompatible: a template reference may move to another template, not to another kind or API group.</summary>
    private static IEnumerable<FieldError> CompatibleRefs(ClusterClass obj, ClusterClass old, FieldPath spec)
    {
        var pairs = new List<(ClusterClassTemplateReference? New, ClusterClassTemplateReference? Old, FieldPath Path)>
        {
            (obj.Spec.Infrastructure.TemplateRef, old.Spec.Infrastructure.TemplateRef, spec.Child("infrastructure", "templateRef")),
            (obj.Spec.ControlPlane.TemplateRef, old.Spec.ControlPlane.TemplateRef, spec.Child("controlPlane", "templateRef")),
            (obj.Spec.ControlPlane.MachineInfrastructure?.TemplateRef, old.Spec.ControlPlane.MachineInfrastructure?.TemplateRef,
                spec.Child("controlPlane", "machineInfrastructure", "templateRef")),
        };
        var mds = obj.Spec.Workers?.MachineDeployments ?? [];
        for (var i = 0; i < mds.Count; i++)
        {
            if (old.Spec.Workers?.MachineDeployments?.FirstOrDefault(m => m.Class == mds[i].Class) is not { } before) continue;
            var path = spec.Child("workers", "machineDeployments").Index(i);
            pairs.Add((mds[i].Bootstrap.TemplateRef, before.Bootstrap.TemplateRef, path.Child("bootstrap", "templateRef")));
            pairs.Add((mds[i].Infrastructure.TemplateRef, before.Infrastructure.TemplateRef, path.Child("infrastructure", "templateRef")));
        }
        foreach (var (now, was, path) in pairs)
        {
            if (now is null || was is null) continue;
            if (now.Group != was.Group)
                yield return FieldError.Forbidden(path.Child("apiVersion"), $"apiVersion cannot change the API group: {was.ApiVersion} to {now.ApiVersion}");
            if (now.Kind != was.Kind)
                yield return FieldError.Forbidden(path.Child("kind"), $"kind cannot be changed: {was.Kind} to {now.Kind}");
        }
    }
}
