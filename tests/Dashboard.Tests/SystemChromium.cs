namespace ServerlessCapi.Dashboard.Tests;

/// <summary>The machine's own Chromium (the Debian package <c>chromium</c>), which the browser tests drive: browsers are
/// not downloaded, so a machine without one fails these tests and says how to install it.</summary>
public static class SystemChromium
{
    /// <summary><c>SCAPI_CHROMIUM</c>, else <c>chromium</c> (or <c>chromium-browser</c>) on PATH, else /usr/bin/chromium.</summary>
    public static string Path()
    {
        if (Environment.GetEnvironmentVariable("SCAPI_CHROMIUM") is { Length: > 0 } configured)
            return File.Exists(configured) ? configured : throw NotFound($"SCAPI_CHROMIUM names {configured}, which does not exist.");
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser" }
                   .SelectMany(name => path.Select(dir => System.IO.Path.Combine(dir, name)))
                   .Append("/usr/bin/chromium")
                   .FirstOrDefault(File.Exists)
               ?? throw NotFound("No chromium on PATH or at /usr/bin/chromium.");
    }

    private static InvalidOperationException NotFound(string what) =>
        new($"{what} The dashboard's browser tests need Chromium: install the Debian package " +
            "(apt-get install -y --no-install-recommends chromium), as .ci/run does, or set SCAPI_CHROMIUM to a Chromium binary.");
}
