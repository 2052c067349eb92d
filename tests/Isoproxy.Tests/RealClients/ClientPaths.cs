namespace Isoproxy.Tests.RealClients;

/// <summary>
/// Where the real clients live: <c>tests/clients</c> with its <c>node_modules</c>, installed by
/// <c>npm ci</c> (the test project's build does it; so does <c>.ci/run</c>). Missing pieces fail
/// the tests with a message saying how to install them; they never skip.
/// </summary>
public static class ClientPaths
{
    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    public static string RepositoryRoot => Root.Value;

    public static string ClientsDirectory => Path.Combine(RepositoryRoot, "tests", "clients");

    public static string SdkDriver => RequireFile(Path.Combine(ClientsDirectory, "sdk-driver.mjs"));

    /// <summary>The native Claude Code binary from its platform package.</summary>
    public static string ClaudeBinary => RequireFile(Path.Combine(
        ClientsDirectory, "node_modules", "@anthropic-ai", "claude-code-linux-x64", "claude"));

    /// <summary>The node executable found on PATH.</summary>
    public static string Node
    {
        get
        {
            foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
            {
                var candidate = Path.Combine(directory, "node");
                if (directory.Length > 0 && File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("node was not found on PATH; the real-client tests need Node.js 20 or later.");
        }
    }

    /// <summary>Fails unless the SDK packages are installed.</summary>
    public static void RequireSdk(string alias) =>
        RequireFile(Path.Combine(ClientsDirectory, "node_modules", alias, "package.json"));

    private static string RequireFile(string path) =>
        File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"{path} is missing. Install the real clients with 'npm ci' in tests/clients (building the test project does it).");

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
