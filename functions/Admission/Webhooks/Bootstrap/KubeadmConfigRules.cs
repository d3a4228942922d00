using System.Globalization;
using System.Text.Json;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's validation of a KubeadmConfigSpec, shared by KubeadmConfig(Template) and KubeadmControlPlane(Template).</summary>
public static class KubeadmConfigRules
{
    private const string CannotUseWithIgnition = "not supported when spec.format is set to: \"ignition\"";
    private const string IgnitionGateDisabled = "can be set only if the KubeadmBootstrapFormatIgnition feature gate is enabled";
    private const string MissingSecretName = "secret file source must specify non-empty secret name";
    private const string MissingSecretKey = "secret file source must specify non-empty secret key";

    public static IEnumerable<FieldError> Validate(KubeadmConfigSpec? spec, bool isControlPlane, FieldPath path, AdmissionOptions options)
    {
        if (spec is null)
            return [];
        var errors = new List<FieldError>();
        errors.AddRange(SchemaRules.Enum(path.Child("format"), spec.Format, BootstrapFormat.CloudConfig, BootstrapFormat.Ignition));
        errors.AddRange(Files(spec, path));
        errors.AddRange(Users(spec, path));
        errors.AddRange(Ignition(spec, path, options));
        errors.AddRange(DiskLayouts(spec, path));
        if (spec.JoinConfiguration?.Discovery?.File?.KubeConfig?.User is { AuthProvider: not null, Exec: not null } user)
        {
            // CAPI's webhook spells the path "kubeconfig" (the field is kubeConfig); the message keeps its spelling.
            errors.Add(FieldError.Invalid(path.Child("joinConfiguration", "discovery", "file", "kubeconfig", "user"), user, "only one of authProvider or exec must be defined"));
        }
        if (isControlPlane)
            errors.AddRange(HealthCheckTimeouts(spec, path));
        return errors;
    }

    private static IEnumerable<FieldError> Files(KubeadmConfigSpec spec, FieldPath path)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var files = spec.Files ?? [];
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            var at = path.Child("files").Index(i);
            if (!string.IsNullOrEmpty(file.Content) && file.ContentFrom is not null)
                yield return FieldError.Invalid(at, file, "only one of content or contentFrom may be specified for a single file");
            if (file.ContentFrom is { } source)
            {
                if (source.Secret.Name.Length == 0)
                    yield return FieldError.Required(at.Child("contentFrom", "secret", "name"), MissingSecretName);
                if (source.Secret.Key.Length == 0)
                    yield return FieldError.Required(at.Child("contentFrom", "secret", "key"), MissingSecretKey);
            }
            if (!known.Add(file.Path))
                yield return FieldError.Invalid(at.Child("path"), file, "path property must be unique among all files");
        }
    }

    private static IEnumerable<FieldError> Users(KubeadmConfigSpec spec, FieldPath path)
    {
        var users = spec.Users ?? [];
        for (var i = 0; i < users.Count; i++)
        {
            var user = users[i];
            var at = path.Child("users").Index(i);
            if (!string.IsNullOrEmpty(user.Passwd) && user.PasswdFrom is not null)
                yield return FieldError.Invalid(at, user, "only one of passwd or passwdFrom may be specified for a single user");
            if (user.PasswdFrom is { } source)
            {
                if (source.Secret.Name.Length == 0)
                    yield return FieldError.Required(at.Child("passwdFrom", "secret", "name"), MissingSecretName);
                if (source.Secret.Key.Length == 0)
                    yield return FieldError.Required(at.Child("passwdFrom", "secret", "key"), MissingSecretKey);
            }
        }
    }

    private static IEnumerable<FieldError> Ignition(KubeadmConfigSpec spec, FieldPath path, AdmissionOptions options)
    {
        var ignitionSet = spec.Ignition is { } ignition && (ignition.ContainerLinuxConfig is not null || ignition.AdditionalProperties is { Count: > 0 });
        if (!options.KubeadmBootstrapFormatIgnition)
        {
            if (spec.Format == BootstrapFormat.Ignition)
                yield return FieldError.Forbidden(path.Child("format"), IgnitionGateDisabled);
            if (ignitionSet)
                yield return FieldError.Forbidden(path.Child("ignition"), IgnitionGateDisabled);
            yield break;
        }
        if (spec.Format != BootstrapFormat.Ignition)
        {
            if (ignitionSet)
                yield return FieldError.Invalid(path.Child("format"), spec.Format ?? "", "must be set to \"ignition\" if spec.ignition is set");
            yield break;
        }
        var users = spec.Users ?? [];
        for (var i = 0; i < users.Count; i++)
        {
            if (users[i].Inactive == true)
                yield return FieldError.Forbidden(path.Child("users").Index(i).Child("inactive"), CannotUseWithIgnition);
        }
        var files = spec.Files ?? [];
        for (var i = 0; i < files.Count; i++)
        {
            if (files[i].Encoding is "gzip" or "gzip+base64")
                yield return FieldError.Forbidden(path.Child("files").Index(i).Child("encoding"), CannotUseWithIgnition);
        }
        if (spec.BootCommands is not null)
            yield return FieldError.Forbidden(path.Child("bootCommands"), CannotUseWithIgnition);
        var partitions = spec.DiskSetup?.Partitions ?? [];
        for (var i = 0; i < partitions.Count; i++)
        {
            if (partitions[i].TableType is { Length: > 0 } table && table != "gpt")
            {
                yield return FieldError.Invalid(path.Child("diskSetup", "partitions").Index(i).Child("tableType"), table,
                    "only partition type \"gpt\" is supported when spec.format is set to \"ignition\"");
            }
        }
        var filesystems = spec.DiskSetup?.Filesystems ?? [];
        for (var i = 0; i < filesystems.Count; i++)
        {
            var at = path.Child("diskSetup", "filesystems").Index(i);
            if (filesystems[i].ReplaceFs is { Length: > 0 })
                yield return FieldError.Forbidden(at.Child("replaceFS"), CannotUseWithIgnition);
            if (filesystems[i].Partition is { Length: > 0 })
                yield return FieldError.Forbidden(at.Child("partition"), CannotUseWithIgnition);
        }
    }

    private static IEnumerable<FieldError> DiskLayouts(KubeadmConfigSpec spec, FieldPath path)
    {
        var partitions = spec.DiskSetup?.Partitions ?? [];
        for (var i = 0; i < partitions.Count; i++)
        {
            var total = (partitions[i].DiskLayout ?? []).Sum(l => l.Percentage);
            if (total > 100)
                yield return FieldError.Invalid(path.Child("diskSetup", "partitions").Index(i).Child("diskLayout"), total, "the sum of all partition percentages must not be greater than 100");
        }
    }

    /// <summary>KubeadmControlPlane runs both kubeadm init and join, so both must wait alike for the control plane.</summary>
    private static IEnumerable<FieldError> HealthCheckTimeouts(KubeadmConfigSpec spec, FieldPath path)
    {
        var init = Seconds(spec.InitConfiguration?.Timeouts);
        var join = Seconds(spec.JoinConfiguration?.Timeouts);
        if (init == join)
            yield break;
        var detail = $"controlPlaneComponentHealthCheckSeconds must be set to the same value both in initConfiguration.timeouts ({init}) and in joinConfiguration.timeouts ({join})";
        yield return FieldError.Invalid(path.Child("initConfiguration", "timeouts", "controlPlaneComponentHealthCheckSeconds"), init, detail);
        yield return FieldError.Invalid(path.Child("joinConfiguration", "timeouts", "controlPlaneComponentHealthCheckSeconds"), join, detail);

        static string Seconds(KubeadmTimeouts? timeouts) =>
            timeouts?.ControlPlaneComponentHealthCheckSeconds is { } value ? value.ToString(CultureInfo.InvariantCulture) : "unset";
    }

    internal static JsonElement? Property(JsonElement? element, params string[] names)
    {
        var current = element;
        foreach (var name in names)
        {
            if (current is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(name, out var next))
                return null;
            current = next;
        }
        return current;
    }
}
