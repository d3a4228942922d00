using System.CommandLine;

namespace ServerlessCapi.Cli;

/// <summary>Every verb of the CLI, one factory per file.</summary>
internal static class Verbs
{
    public static IEnumerable<Command> All() =>
    [
        AzuriteVerb.Create(),
        Up.UpVerb.Create(),
        CrdsVerb.Create(),
        WebhookCertsVerb.Create(),
        ApiServerVerb.Create(),
        RunVerb.Create(),
        DescribeVerb.Create(),
        GenerateVerb.Create(),
        ProviderVerb.Create(),
        PublishVerb.Create(),
        BenchEngineVerb.Create(),
        Bench.ChaosVerb.Create(),
    ];
}
