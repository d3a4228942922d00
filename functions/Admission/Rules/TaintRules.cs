using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's checks of Machine taints: only with the MachineTaintPropagation gate, no reserved keys, label-key
/// syntax, and (with the gate) no control-plane taint on workers.</summary>
public static class TaintRules
{
    private const string ControlPlaneTaint = "node-role.kubernetes.io/control-plane";

    public static IEnumerable<FieldError> Validate(IReadOnlyList<MachineTaint>? taints, FieldPath path, AdmissionOptions options, bool worker)
    {
        taints ??= [];
        if (!options.MachineTaintPropagation && taints.Count > 0)
            yield return FieldError.Forbidden(path, "taints are not allowed to be set when the feature gate MachineTaintPropagation is disabled");
        for (var i = 0; i < taints.Count; i++)
        {
            var key = path.Index(i).Child("key");
            var name = taints[i].Key;
            if (name is "node.cluster.x-k8s.io/uninitialized" or "node.cluster.x-k8s.io/outdated-revision")
                yield return FieldError.Invalid(key, name, "taint key is not allowed");
            else if (name.StartsWith("node.kubernetes.io/", StringComparison.Ordinal) && name != "node.kubernetes.io/out-of-service")
                yield return FieldError.Invalid(key, name, "taint key must not have the prefix node.kubernetes.io/, except for node.kubernetes.io/out-of-service");
            else if (name.StartsWith("node.cloudprovider.kubernetes.io/", StringComparison.Ordinal))
                yield return FieldError.Invalid(key, name, "taint key must not have the prefix node.cloudprovider.kubernetes.io/");
            else if (name == "node-role.kubernetes.io/master")
                yield return FieldError.Invalid(key, name, "taint is deprecated since 1.24 and should not be used anymore");
            foreach (var error in LabelRules.QualifiedNameErrors(name))
                yield return FieldError.Invalid(key, name, error);
            if (worker && options.MachineTaintPropagation && name == ControlPlaneTaint)
                yield return FieldError.Invalid(key, name, "taint is not allowed for worker Machines");
        }
    }
}
