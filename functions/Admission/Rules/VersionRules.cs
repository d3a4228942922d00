namespace ServerlessCapi.Admission;

/// <summary>Kubernetes version fields as CAPI's webhooks check them.</summary>
public static class VersionRules
{
    /// <summary><c>must start with v</c> and <c>must be a valid semantic version</c> (both may apply).</summary>
    public static IEnumerable<FieldError> Validate(FieldPath path, string version, string semverDetail = "must be a valid semantic version")
    {
        if (!version.StartsWith('v'))
            yield return FieldError.Invalid(path, version, "must start with v");
        if (Semver.Parse(version.StartsWith('v') ? version[1..] : version) is null)
            yield return FieldError.Invalid(path, version, semverDetail);
    }

    /// <summary>CAPI tolerates versions without the leading <c>v</c> and adds it.</summary>
    public static string? Normalize(string? version) =>
        string.IsNullOrEmpty(version) || version.StartsWith('v') ? version : "v" + version;
}
