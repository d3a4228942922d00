using System.CommandLine;
using System.Globalization;
using ServerlessCapi.Api;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi crd-coverage</c>: how many of Cluster API's v1beta2 schema fields the generated CRDs model, per kind.</summary>
internal static class CrdCoverageVerb
{
    public static Command Create()
    {
        var capi = new Option<string>("--capi-crds")
        {
            Description = "Folder with Cluster API's generated CRDs (the YAML files of its crd/bases folders).",
            Required = true,
        };
        var ours = new Option<string?>("--crds") { Description = "The product's CRDs (default: infra/crds in the repository)." };
        var kindFilter = new Option<string[]>("--kind") { Description = "Only these kinds (repeatable).", AllowMultipleArgumentsPerToken = true };
        var missing = new Option<bool>("--missing") { Description = "List the field paths the product does not model." };
        var cmd = new Command("crd-coverage", "Compare infra/crds with Cluster API's v1beta2 CRDs: fields per kind, modelled, percentage.")
        {
            capi, ours, kindFilter, missing,
        };
        cmd.SetAction((ParseResult parse) =>
        {
            var capiDir = parse.GetValue(capi)!;
            var ourDir = parse.GetValue(ours) ?? Path.Combine(RepoPaths.Root, "infra", "crds");
            if (!Directory.Exists(capiDir))
            {
                Console.Error.WriteLine($"crd-coverage: no folder {capiDir}");
                return 2;
            }
            var (kinds, notServed) = CrdCoverage.CompareFolders(capiDir, ourDir);
            var only = parse.GetValue(kindFilter) ?? [];
            if (only.Length > 0)
                kinds = kinds.Where(k => only.Contains(k.Kind, StringComparer.OrdinalIgnoreCase)).ToList();
            if (kinds.Count == 0)
            {
                Console.Error.WriteLine($"crd-coverage: no kind in both {capiDir} and {ourDir}");
                return 2;
            }

            var width = kinds.Max(k => k.Kind.Length);
            Console.WriteLine($"{"KIND".PadRight(width)}  CAPI FIELDS  MODELLED  COVERAGE");
            foreach (var k in kinds)
            {
                var percent = k.Percent.ToString("0.0", CultureInfo.InvariantCulture) + " %";
                Console.WriteLine($"{k.Kind.PadRight(width)}  {k.ReferenceFields,11}  {k.ModelledFields,8}  {percent,8}");
            }
            if (notServed.Count > 0 && only.Length == 0)
                Console.WriteLine($"Not served: {string.Join(", ", notServed)}");
            if (parse.GetValue(missing))
            {
                foreach (var k in kinds.Where(k => k.Missing.Count > 0))
                {
                    Console.WriteLine();
                    Console.WriteLine($"{k.Kind}: {k.Missing.Count} missing");
                    foreach (var path in k.Missing)
                        Console.WriteLine($"  {path}");
                }
            }
            return 0;
        });
        return cmd;
    }
}
