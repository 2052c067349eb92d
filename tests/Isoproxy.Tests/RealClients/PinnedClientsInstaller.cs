using System.Diagnostics;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// Installs the pinned real clients (<c>npm ci</c> from <c>tests/clients/package-lock.json</c>)
/// the first time a test needs them, so building never touches the network and a fresh clone
/// still passes <c>dotnet test</c>. Runs at most once per test run, and not at all when
/// <c>node_modules</c> is already newer than the lock file.
/// </summary>
public static class PinnedClientsInstaller
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Once per process: parallel tests wait for the one installation instead of starting their own.</summary>
    private static readonly Lazy<string?> Installation = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Installs the clients unless they are up to date; throws saying what is missing or what failed.</summary>
    public static void EnsureInstalled()
    {
        if (Installation.Value is string problem)
        {
            throw new InvalidOperationException(problem);
        }
    }

    /// <summary>
    /// True when <c>npm ci</c> has run since the lock file last changed: npm writes
    /// <c>node_modules/.package-lock.json</c> at the end of every install.
    /// </summary>
    public static bool IsUpToDate(string clientsDirectory)
    {
        var installed = new FileInfo(Path.Combine(clientsDirectory, "node_modules", ".package-lock.json"));
        if (!installed.Exists)
        {
            return false;
        }

        var pinned = new[] { "package-lock.json", "package.json" }.Select(name => File.GetLastWriteTimeUtc(Path.Combine(clientsDirectory, name))).Max();
        return installed.LastWriteTimeUtc >= pinned;
    }

    private static string? Install()
    {
        var clientsDirectory = ClientPaths.ClientsDirectory;
        // Another test run on the same checkout may be installing too: one at a time, across processes.
        using var crossProcessLock = AcquireLock(Path.Combine(clientsDirectory, ".npm-ci.lock"));
        if (IsUpToDate(clientsDirectory))
        {
            return null;
        }

        var npm = ClientPaths.FindOnPath("npm");
        if (npm is null || ClientPaths.FindOnPath("node") is null)
        {
            return $"{(npm is null ? "npm" : "node")} was not found on PATH: the real-client tests install Claude Code and the TypeScript SDKs " +
                "with 'npm ci' in tests/clients and need Node.js 20 or later with npm.";
        }

        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = clientsDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])["ci", "--no-audit", "--no-fund"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(InstallTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return $"'npm ci' in {clientsDirectory} did not finish within {InstallTimeout.TotalMinutes} minutes; killed.";
        }

        if (process.ExitCode != 0)
        {
            return $"'npm ci' in {clientsDirectory} failed with exit code {process.ExitCode}:\n{Tail(stdout.Result)}\n{Tail(stderr.Result)}";
        }

        // npm may keep the hidden lock file's timestamp when nothing changed; mark this install as current.
        File.SetLastWriteTimeUtc(Path.Combine(clientsDirectory, "node_modules", ".package-lock.json"), DateTime.UtcNow);
        return null;
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + InstallTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(500);
            }
        }
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : "…" + text[^3000..];
}
