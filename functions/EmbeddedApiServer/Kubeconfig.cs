namespace ServerlessCapi.EmbeddedApiServer;

/// <summary>Kubeconfig text for a server URL and bearer token (the shape kubectl and KubernetesClient load).</summary>
public static class Kubeconfig
{
    public static string Yaml(string name, string server, string token, string? caPem, string defaultNamespace = "default") =>
        $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: {name}
          cluster:
            server: {server}{CaLine(caPem)}
        users:
        - name: {name}
          user:
            token: {token}
        contexts:
        - name: {name}
          context:
            cluster: {name}
            user: {name}
            namespace: {defaultNamespace}
        current-context: {name}

        """;

    private static string CaLine(string? caPem) =>
        caPem is null ? "" : $"\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(caPem))}";

    /// <summary>Writes a file readable by the owner only: it holds a credential.</summary>
    public static void Write(string path, string yaml)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(yaml);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
