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
        if (Property(spec.JoinConfiguration?.Discovery, "file", "kubeconfig", "user") is { } user
            && SchemaRules.IsDefined(Property(user, "authProvider")) && SchemaRules.IsDefined(Property(user, "exec")))
        {
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
        var ignitionSet = SchemaRules.IsDefined(spec.Ignition);
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
        var partitions = Items(Property(spec.DiskSetup, "partitions"));
        for (var i = 0; i < partitions.Count; i++)
        {
            if (Text(partitions[i], "tableType") is { Length: > 0 } table && table != "gpt")
            {
                yield return FieldError.Invalid(path.Child("diskSetup", "partitions").Index(i).Child("tableType"), table,
                    "only partition type \"gpt\" is supported when spec.format is set to \"ignition\"");
            }
        }
        var filesystems = Items(Property(spec.DiskSetup, "filesystems"));
        for (var i = 0; i < filesystems.Count; i++)
        {
            var at = path.Child("diskSetup", "filesystems").Index(i);
            if (Text(filesystems[i], "replaceFS") is { Length: > 0 })
                yield return FieldError.Forbidden(at.Child("replaceFS"), CannotUseWithIgnition);
            if (Text(filesystems[i], "partition") is { Length: > 0 })
                yield return FieldError.Forbidden(at.Child("partition"), CannotUseWithIgnition);
        }
    }

    private static IEnumerable<FieldError> DiskLayouts(KubeadmConfigSpec spec, FieldPath path)
    {
        var partitions = Items(Property(spec.DiskSetup, "partitions"));
        for (var i = 0; i < partitions.Count; i++)
        {
            var total = Items(Property(partitions[i], "diskLayout"))
                .Sum(l => Property(l, "percentage") is { ValueKind: JsonValueKind.Number } p ? p.GetInt32() : 0);
            if (total > 100)
                yield return FieldError.Invalid(path.Child("diskSetup", "partitions").Index(i).Child("diskLayout"), total, "the sum of all partition percentages must not be greater than 100");
        }
    }

    /// <summary>KubeadmControlPlane runs both kubeadm init and join, so both must wait alike for the control plane.</summary>
    private static IEnumerable<FieldError> HealthCheckTimeouts(KubeadmConfigSpec spec, FieldPath path)
    {
        var init = Seconds(spec.InitConfiguration?.AdditionalProperties);
        var join = Seconds(spec.JoinConfiguration?.AdditionalProperties);
        if (init == join)
            yield break;
        var detail = $"controlPlaneComponentHealthCheckSeconds must be set to the same value both in initConfiguration.timeouts ({init}) and in joinConfiguration.timeouts ({join})";
        yield return FieldError.Invalid(path.Child("initConfiguration", "timeouts", "controlPlaneComponentHealthCheckSeconds"), init, detail);
        yield return FieldError.Invalid(path.Child("joinConfiguration", "timeouts", "controlPlaneComponentHealthCheckSeconds"), join, detail);

        static string Seconds(IDictionary<string, JsonElement>? extra) =>
            extra is not null && extra.TryGetValue("timeouts", out var timeouts)
            && Property(timeouts, "controlPlaneComponentHealthCheckSeconds") is { ValueKind: JsonValueKind.Number } value
                ? value.GetInt32().ToString(CultureInfo.InvariantCulture)
                : "unset";
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

    private static List<JsonElement> Items(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().ToList() : [];

    private static string? Text(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;
}
