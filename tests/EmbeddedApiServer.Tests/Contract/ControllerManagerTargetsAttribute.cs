using System.Reflection;
using Xunit.Sdk;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>The real-server row of a contract theory whose behaviour a controller manager provides (garbage
/// collection, namespace deletion). The embedded server runs its own collectors, so its row comes from an ordinary
/// <c>InlineData</c>; a real API server does this only alongside kube-controller-manager. When
/// SCAPI_TEST_NO_CONTROLLER_MANAGER=1 says the real server runs without one, the row is reported as skipped with that
/// reason rather than left to time out.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ControllerManagerTargetsAttribute : DataAttribute
{
    public const string NoControllerManagerVariable = "SCAPI_TEST_NO_CONTROLLER_MANAGER";

    public ControllerManagerTargetsAttribute()
    {
        if (Environment.GetEnvironmentVariable(NoControllerManagerVariable) == "1")
            Skip = $"the real API server runs without a controller manager ({NoControllerManagerVariable}=1)";
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ContractTarget.KubeconfigVariable)) ? [] : [[ContractTarget.Real]];
}
