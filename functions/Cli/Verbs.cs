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
        CrdCoverageVerb.Create(),
        WebhookCertsVerb.Create(),
        ApiServerVerb.Create(),
        RunVerb.Create(),
        Describe.DescribeVerb.Create(),
        GenerateVerb.Create(),
        ProviderVerb.Create(),
        PublishVerb.Create(),
        new Command("bench", "Benchmarks (not part of the test command; the durable foundation's own benchmark is bench/DurableBench).")
        {
            Bench.ScaleBench.Create(),
        },
        Bench.ChaosVerb.Create(),
        TestVerb.Create(),
    ];
}
