using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>The checks CAPI's KubeadmControlPlane and KubeadmControlPlaneTemplate webhooks share.</summary>
internal static partial class KubeadmControlPlaneRules
{
    /// <summary>CAPI's default CA validity when caCertificateValidityPeriodDays is not set.</summary>
    private const int DefaultCaCertificateDays = 3650;

    public static bool HasExternalEtcd(KubeadmConfigSpec? spec) =>
        spec?.ClusterConfiguration?.Etcd?.External is not null;

    public static IEnumerable<FieldError> Rollout(KubeadmControlPlaneRolloutSpec? rollout, ClusterConfiguration? configuration, int? replicas, FieldPath path)
    {
        var errors = new List<FieldError>();
        var strategy = rollout?.Strategy;
        if (strategy is not null && (!string.IsNullOrEmpty(strategy.Type) || strategy.RollingUpdate is not null))
        {
            if (strategy.Type != RolloutStrategyType.RollingUpdate)
                errors.Add(FieldError.Required(path.Child("rollout", "strategy", "type"), "only RollingUpdate is supported"));
            if (strategy.RollingUpdate?.MaxSurge is { } maxSurge)
            {
                var surge = IntValue(maxSurge);
                if (surge == 0 && replicas is < 3)
                {
                    errors.Add(FieldError.Required(path.Child("rollout", "strategy", "rollingUpdate"),
                        "when KubeadmControlPlane is configured to scale-in, replica count needs to be at least 3"));
                }
                if (surge is not 0 and not 1)
                    errors.Add(FieldError.Required(path.Child("rollout", "strategy", "rollingUpdate", "maxSurge"), "value must be 1 or 0"));
            }
        }
        if (configuration?.CertificateValidityPeriodDays is { } days and not 0)
        {
            var certificateDays = path.Child("kubeadmConfigSpec", "clusterConfiguration", "certificateValidityPeriodDays");
            if (configuration.CaCertificateValidityPeriodDays is { } caDays and not 0)
            {
                if (days > caDays)
                    errors.Add(FieldError.Invalid(certificateDays, days, $"must be less than or equal to caCertificateValidityPeriodDays ({caDays})"));
            }
            else if (days > DefaultCaCertificateDays)
            {
                errors.Add(FieldError.Invalid(certificateDays, days,
                    $"must be less than or equal to the default value of caCertificateValidityPeriodDays ({DefaultCaCertificateDays})"));
            }
            if (rollout?.Before?.CertificatesExpiryDays is { } expiry and not 0 && expiry >= days)
                errors.Add(FieldError.Invalid(path.Child("rollout", "before", "certificatesExpiryDays"), expiry, $"must be less than certificateValidityPeriodDays ({days})"));
        }
        return errors;
    }

    /// <summary>Image tags and the etcd mode; on update the etcd mode may not change.</summary>
    public static IEnumerable<FieldError> ClusterConfiguration(ClusterConfiguration? old, ClusterConfiguration? configuration, FieldPath path, bool isUpdate)
    {
        if (configuration?.Dns?.ImageTag is { Length: > 0 } dnsTag && !ImageTag().IsMatch(dnsTag))
            yield return FieldError.Forbidden(path.Child("dns", "imageTag"), $"tag {dnsTag} is invalid");
        var local = configuration?.Etcd?.Local;
        var external = configuration?.Etcd?.External is not null;
        if (local is not null)
        {
            var tag = local.ImageTag ?? "";
            if (tag.Length > 0 && !ImageTag().IsMatch(tag))
                yield return FieldError.Forbidden(path.Child("etcd", "local", "imageTag"), $"tag {tag} is invalid");
            if (external)
                yield return FieldError.Forbidden(path.Child("etcd", "local"), "cannot have both external and local etcd");
        }
        if (isUpdate && external != (old?.Etcd?.External is not null))
            yield return FieldError.Forbidden(path.Child("etcd", "external"), "cannot change between external and local etcd");
    }

    /// <summary>intstr's IntValue(): a string counts as the integer it spells, else 0.</summary>
    private static int IntValue(IntOrString value) =>
        value.IntValue ?? (int.TryParse(value.StringValue, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) ? i : 0);

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$")]
    private static partial Regex ImageTag();
}
