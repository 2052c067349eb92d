using System.Runtime.InteropServices;
using Isoproxy.Tests.Infrastructure;
using Isoproxy.Tests.RealClients;
using Xunit;

namespace Isoproxy.Tests.Deploy;

/// <summary>
/// What the unit's hardening asks of the running executable: it serves under the kernel's
/// memory-deny-write-execute rule, and it opens no diagnostics IPC socket.
/// </summary>
public sealed class RuntimeHardeningTests
{
    /// <summary>prctl options from linux/prctl.h.</summary>
    private const int PrSetMdwe = 65;

    private const int PrGetMdwe = 66;

    private const int PrMdweRefuseExecGain = 1;

    [Fact]
    public async Task UnderPrSetMdwe_NativeBinaryServesARequest_JitRuntimeCannotRun()
    {
        var ct = TestContext.Current.CancellationToken;
        // The launcher sets the rule and execs; the rule survives exec, as this probe shows.
        var probe = await ChildProcess.RunAsync(
            "perl", [.. MdweLauncher(), "perl", "-e", $"print syscall({PrctlSyscall}, {PrGetMdwe}, 0, 0, 0, 0)"],
            Path.GetTempPath(), new Dictionary<string, string>(), TimeSpan.FromSeconds(30), ct);
        Assert.True(probe.ExitCode == 0 && probe.Stdout == PrMdweRefuseExecGain.ToString(System.Globalization.CultureInfo.InvariantCulture), probe.ToString());

        await using var fixture = await DeployFixture.StartAsync(ct);
        var config = await fixture.WriteConfigAsync("tcp: 127.0.0.1:0", ct);
        await using var proxy = IsoproxyProcess.StartWrapped(["perl", .. MdweLauncher()], DeployFixture.KeyEnvironment, "serve", "--config", config);
        if (!IsoproxyProcess.IsPublishedBinary)
        {
            // A JIT runtime writes machine code at run time, which the rule forbids: only the native
            // binary can run with MemoryDenyWriteExecute=yes. (The run against ISOPROXY_BINARY proves it serves.)
            Assert.NotEqual(0, await proxy.WaitForExitAsync(ct));
            Assert.DoesNotContain(" listening on ", proxy.Stderr, StringComparison.Ordinal);
            return;
        }

        var port = await proxy.WaitForListeningAsync(ct);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var response = await client.PostAsync("/v1/messages", DeployFixture.MessagesBody(), ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(ProxyTestEnvironment.UpstreamKey, Assert.Single(fixture.Upstream.Requests).GetHeader("x-api-key"));
        await proxy.StopAsync(ct);
        Assert.Equal(0, proxy.ExitCode);
    }

    [Fact]
    public async Task RunningExecutable_OpensNoDiagnosticsSocket()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var config = await fixture.WriteConfigAsync("tcp: 127.0.0.1:0", ct);
        var temp = Directory.CreateDirectory(Path.Combine(fixture.Directory, "tmp")).FullName;
        var environment = new Dictionary<string, string>(DeployFixture.KeyEnvironment) { ["TMPDIR"] = temp };
        if (!IsoproxyProcess.IsPublishedBinary)
        {
            // A JIT-run build has the socket unless told otherwise, as the unit does; the check
            // below must see it there, or it proves nothing.
            await using var unhardened = IsoproxyProcess.Start(environment, "serve", "--config", config);
            await unhardened.WaitForListeningAsync(ct);
            Assert.NotEmpty(DiagnosticsSockets(temp, unhardened.Id));
            await unhardened.StopAsync(ct);
            environment["DOTNET_EnableDiagnostics"] = "0";
        }

        await using var proxy = IsoproxyProcess.Start(environment, "serve", "--config", config);
        await proxy.WaitForListeningAsync(ct);

        Assert.Empty(DiagnosticsSockets(temp, proxy.Id));
        Assert.Empty(DiagnosticsSockets(Path.GetTempPath(), proxy.Id));
        await proxy.StopAsync(ct);
    }

    /// <summary><c>perl -e CODE --</c>: sets PR_SET_MDWE (refuse exec gain) and execs the rest of its arguments.</summary>
    private static string[] MdweLauncher() =>
    [
        "-e",
        $"syscall({PrctlSyscall}, {PrSetMdwe}, {PrMdweRefuseExecGain}, 0, 0, 0) == 0 or die \"PR_SET_MDWE: $!\\n\"; exec {{ $ARGV[0] }} @ARGV or die \"exec: $!\\n\"",
        "--",
    ];

    /// <summary>The prctl system call number: perl's syscall takes the raw number.</summary>
    private static int PrctlSyscall => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 157,
        Architecture.Arm64 => 167,
        var other => throw new PlatformNotSupportedException($"no prctl number known for {other}"),
    };

    private static string[] DiagnosticsSockets(string directory, int processId) =>
        Directory.GetFiles(directory, $"dotnet-diagnostic-{processId}-*");
}
