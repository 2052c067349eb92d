using System.Diagnostics;
using System.Globalization;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>The key stays with the proxy: other processes of the proxy's own user cannot read it out of the process.</summary>
public sealed class KeyCustodyTests
{
    /// <summary>An unprivileged user (nobody) for the proxy and for the process that tries to read it.</summary>
    private static readonly string[] AsNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"];

    private const string Key = "sk-custody-canary-5d1e0b";

    [Fact]
    public async Task SameUserProcess_CannotReadTheProxysEnvironment()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = Directory.CreateTempSubdirectory("isoproxy-custody-").FullName;
        try
        {
            File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
            var config = Path.Combine(directory, "isoproxy.yaml");
            await File.WriteAllTextAsync(config, """
                listen:
                  tcp: 127.0.0.1:0
                providers:
                  anthropic:
                    endpoint: https://api.anthropic.com
                    api_key_env: CUSTODY_KEY
                """, ct);
            File.SetUnixFileMode(config, (UnixFileMode)Convert.ToInt32("644", 8));
            var environment = new Dictionary<string, string> { ["CUSTODY_KEY"] = Key, ["HOME"] = directory };

            await using var proxy = IsoproxyProcess.StartWrapped(AsNobody, environment, "serve", "--config", config);
            await proxy.WaitForListeningAsync(ct);

            Assert.Contains("\t65534\t", UidLine(proxy.Id), StringComparison.Ordinal);
            var (exit, stdout, stderr) = await RunAsync([.. AsNobody, "cat", $"/proc/{proxy.Id}/environ"], ct);

            Assert.NotEqual(0, exit);
            Assert.Contains("Permission denied", stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(Key, stdout, StringComparison.Ordinal);

            // Control: for an ordinary process of that user, reading its environ works.
            var (controlExit, controlStdout, _) = await RunAsync([.. AsNobody, "sh", "-c", "sleep 30 & cat /proc/$!/environ; kill $!"], ct);
            Assert.Equal(0, controlExit);
            Assert.Contains("CUSTODY_KEY=" + Key, controlStdout, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string UidLine(int pid) =>
        File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").Single(l => l.StartsWith("Uid:", StringComparison.Ordinal));

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] command, CancellationToken ct)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var part in command.Skip(1))
        {
            start.ArgumentList.Add(part);
        }
        start.Environment["CUSTODY_KEY"] = Key;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
