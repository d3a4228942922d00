using System.CommandLine;
using ServerlessCapi.Cli;

var root = new RootCommand("scapi: Cluster API as a serverless function app.") { HelpName = "scapi" };
foreach (var verb in Verbs.All())
    root.Subcommands.Add(verb);

return await root.Parse(args).InvokeAsync();
