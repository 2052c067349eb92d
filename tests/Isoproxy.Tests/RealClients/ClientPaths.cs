namespace Isoproxy.Tests.RealClients;

/// <summary>
/// Where the real clients live: <c>tests/clients</c> with its <c>node_modules</c>, installed by
/// <see cref="PinnedClientsInstaller"/> the first time a test asks for a client. Missing pieces
/// fail the tests with a message saying what is missing; they never skip.
/// </summary>
public static class ClientPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string ClientsDirectory => Path.Combine(RepositoryRoot, "tests", "clients");

    public static string SdkDriver => RequireInstalledFile(Path.Combine(ClientsDirectory, "sdk-driver.mjs"));

    /// <summary>The native Claude Code binary from its platform package.</summary>
    public static string ClaudeBinary => RequireInstalledFile(Path.Combine(
        ClientsDirectory, "node_modules", "@anthropic-ai", "claude-code-linux-x64", "claude"));

    /// <summary>The node executable found on PATH.</summary>
    public static string Node =>
        FindOnPath("node") ?? throw new InvalidOperationException("node was not found on PATH; the real-client tests need Node.js 20 or later.");

    /// <summary>Fails unless the SDK packages are installed (installing them first when needed).</summary>
    public static void RequireSdk(string alias) =>
        RequireInstalledFile(Path.Combine(ClientsDirectory, "node_modules", alias, "package.json"));

    /// <summary>The first <paramref name="name"/> on PATH, or null.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string RequireInstalledFile(string path)
    {
        PinnedClientsInstaller.EnsureInstalled();
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"{path} is missing although 'npm ci' ran in tests/clients: does package-lock.json still pin this client?");
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Isoproxy.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Isoproxy.slnx above {AppContext.BaseDirectory}.");
    }
}
