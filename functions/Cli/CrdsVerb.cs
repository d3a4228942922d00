using System.CommandLine;
using ServerlessCapi.Api;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi crds</c>: regenerates the CustomResourceDefinitions from the C# types.</summary>
internal static class CrdsVerb
{
    public static Command Create()
    {
        var output = new Option<string?>("--out") { Description = "Output folder (default: infra/crds in the repository)." };
        var cmd = new Command("crds", "Generate the CustomResourceDefinition YAML files from the API types.") { output };
        cmd.SetAction((ParseResult parse) =>
        {
            var dir = parse.GetValue(output) ?? Path.Combine(RepoPaths.Root, "infra", "crds");
            var written = CrdGenerator.WriteAll(dir);
            Console.WriteLine($"{written.Count} CRDs written to {dir}");
            return 0;
        });
        return cmd;
    }
}
