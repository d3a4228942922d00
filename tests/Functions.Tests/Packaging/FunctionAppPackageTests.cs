using System.IO.Compression;
using ServerlessCapi.Functions.Packaging;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Local;

namespace ServerlessCapi.Functions.Tests.Packaging;

/// <summary>The zip-deployable layout: binaries, host.json and one folder per registered function.</summary>
public sealed class FunctionAppPackageTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("scapi-package-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PublishDir => Path.Combine(_dir.FullName, "app");

    /// <summary>A stand-in for <c>dotnet publish</c> output: just the executable host.json names.</summary>
    private void FakePublish(bool executable = true)
    {
        Directory.CreateDirectory(PublishDir);
        var exe = Path.Combine(PublishDir, "ServerlessCapi.Cli");
        File.WriteAllText(exe, "#!/bin/sh\n");
        if (executable && !OperatingSystem.IsWindows())
            File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(PublishDir, "local.settings.json"), "{\"Values\":{\"secret\":\"x\"}}");
    }

    [Fact]
    public void Every_registered_function_gets_its_folder_and_the_zip_keeps_the_handler_executable()
    {
        FakePublish();

        var laid = FunctionAppPackage.Lay(RepoPaths.Root, PublishDir);

        var builder = new FunctionsBuilder();
        AppFunctions.Register(builder);
        laid.ShouldBe(builder.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var name in laid) File.Exists(Path.Combine(PublishDir, name, "function.json")).ShouldBeTrue(name);
        File.Exists(Path.Combine(PublishDir, "host.json")).ShouldBeTrue();
        File.Exists(Path.Combine(PublishDir, "local.settings.json")).ShouldBeFalse("local secrets must not ship");

        var zip = Path.Combine(_dir.FullName, "app.zip");
        FunctionAppPackage.Zip(PublishDir, zip);
        using var archive = ZipFile.OpenRead(zip);
        archive.GetEntry("host.json").ShouldNotBeNull();
        archive.GetEntry($"{laid[0]}/function.json").ShouldNotBeNull();
        var handler = archive.GetEntry("ServerlessCapi.Cli").ShouldNotBeNull();
        if (!OperatingSystem.IsWindows())
            ((handler.ExternalAttributes >> 16) & 0b001_000_000).ShouldNotBe(0, "the handler must stay executable");
    }

    [Fact]
    public void A_package_without_the_handler_host_json_names_is_refused_with_the_reason()
    {
        Directory.CreateDirectory(PublishDir);

        var error = Should.Throw<InvalidDataException>(() => FunctionAppPackage.Lay(RepoPaths.Root, PublishDir));

        error.Message.ShouldContain("ServerlessCapi.Cli");
    }

    [Fact]
    public void A_handler_that_is_not_executable_is_refused()
    {
        if (OperatingSystem.IsWindows()) return;
        FakePublish(executable: false);

        Should.Throw<InvalidDataException>(() => FunctionAppPackage.Lay(RepoPaths.Root, PublishDir)).Message.ShouldContain("not executable");
    }
}
