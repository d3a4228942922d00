using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>A webhook with side effects is never sent a dry run (the v1 API rejects such configurations, so this is
/// checked on the chain itself with a configuration as an older API version could have stored it).</summary>
public sealed class DryRunSideEffectsTests(WebhookFixture f) : IClassFixture<WebhookFixture>
{
    [Theory]
    [InlineData("Some")]
    [InlineData("Unknown")]
    public async Task A_dry_run_to_a_webhook_with_side_effects_is_refused_with_400_and_never_sent(string sideEffects)
    {
        using var chain = new AdmissionChain(new WebhookOptions(), NullLogger.Instance);
        var path = $"/side-{sideEffects}-{Guid.NewGuid():N}";
        var hook = new Webhook
        {
            ConfigurationName = "effects",
            Name = "effects.test.example.com",
            Mutating = false,
            Url = f.Webhooks.On(path, _ => TestWebhookServer.Allow()),
            CaBundlePem = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(f.Webhooks.CaBundle)),
            Rules = [new WebhookRule(["*"], [""], ["*"], ["configmaps"], "*")],
            SideEffects = sideEffects,
        };
        var attrs = new AdmissionAttributes { Operation = "CREATE", Type = BuiltInTypes.ConfigMaps, Version = "v1", Namespace = "default", Name = "x", DryRun = true };
        var obj = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "x" } };

        var error = await Should.ThrowAsync<ApiException>(() =>
            chain.ValidateAsync(new Cluster("c", new ClusterSettings()), attrs, obj, null, new WebhookSet([], [hook]), _ => { }, CancellationToken.None));

        error.Code.ShouldBe(400);
        error.Message.ShouldBe("admission webhook \"effects.test.example.com\" does not support dry run");
        f.Webhooks.Received(path).ShouldBeEmpty();

        await chain.ValidateAsync(new Cluster("c", new ClusterSettings()), attrs with { DryRun = false }, obj, null, new WebhookSet([], [hook]), _ => { }, CancellationToken.None);
        f.Webhooks.Received(path).ShouldHaveSingleItem();
    }
}
