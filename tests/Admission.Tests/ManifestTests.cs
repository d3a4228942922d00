using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission.Tests;

/// <summary>infra/webhooks registers exactly the webhooks the app serves, with CAPI's settings.</summary>
public class ManifestTests
{
    public static TheoryData<string, string, bool> Files() => new()
    {
        { "mutating-webhooks.yaml", "MutatingWebhookConfiguration", true },
        { "validating-webhooks.yaml", "ValidatingWebhookConfiguration", false },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_served_path_has_a_manifest_entry_and_every_entry_a_served_path(string file, string kind, bool mutating)
    {
        var configuration = YamlJson.LoadAll(File.ReadAllText(System.IO.Path.Combine(RepoRoot(), "infra", "webhooks", file))).ShouldHaveSingleItem()!;
        configuration["apiVersion"]!.GetValue<string>().ShouldBe("admissionregistration.k8s.io/v1");
        configuration["kind"]!.GetValue<string>().ShouldBe(kind);
        var entries = configuration["webhooks"]!.AsArray().Select(w => w!.AsObject()).ToList();
        var served = AdmissionWebhooks.Endpoints.Where(e => e.Mutating == mutating).ToList();

        entries.Select(Path).ShouldBe(served.Select(e => e.Path), ignoreOrder: true);
        foreach (var endpoint in served)
        {
            var entry = entries.Single(w => Path(w) == endpoint.Path);
            entry["name"]!.GetValue<string>().ShouldBe(endpoint.Name);
            entry["failurePolicy"]!.GetValue<string>().ShouldBe("Fail");
            entry["matchPolicy"]!.GetValue<string>().ShouldBe("Equivalent");
            entry["sideEffects"]!.GetValue<string>().ShouldBe("None");
            Strings(entry["admissionReviewVersions"]).ShouldBe(["v1"]);
            var rule = entry["rules"]!.AsArray().ShouldHaveSingleItem()!;
            Strings(rule["apiGroups"]).ShouldBe([endpoint.Webhook.Group]);
            Strings(rule["apiVersions"]).ShouldBe([CapiGroups.Version]);
            Strings(rule["resources"]).ShouldBe([endpoint.Webhook.Resource]);
            Strings(rule["operations"]).ShouldBe(endpoint.Operations);
        }
    }

    private static string Path(JsonObject webhook)
    {
        var url = webhook["clientConfig"]!["url"]!.GetValue<string>();
        return new Uri(url.Replace("WEBHOOK_HOST", "placeholder.invalid", StringComparison.Ordinal)).AbsolutePath;
    }

    private static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ServerlessCapi.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (ServerlessCapi.sln) above the test binaries.");
    }
}
