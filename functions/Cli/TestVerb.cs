using System.CommandLine;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi test</c>: listed here so help names every verb; the <c>./scapi</c> script runs it itself (it
/// must not build and load the CLI it is about to rebuild and test).</summary>
internal static class TestVerb
{
    public static Command Create()
    {
        var cmd = new Command("test", "Run every test, as CI does (extra arguments go to dotnet test, e.g. --filter Name).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        cmd.SetAction(_ =>
        {
            Console.Error.WriteLine("scapi test: run it through the script at the repository root: ./scapi test [dotnet test arguments]");
            return 2;
        });
        return cmd;
    }
}
