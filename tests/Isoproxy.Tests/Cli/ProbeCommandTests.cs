using System.Net;
using System.Net.Sockets;
using Isoproxy.Cli;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Configuration;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Cli;

/// <summary><c>isoproxy probe</c> against the real HTTPS fake upstream: ok, wrong CA, refused connection, rejected key.</summary>
public sealed class ProbeCommandTests : IAsyncLifetime
{
    private const string Key = "probe-key-never-printed-3c9f";
    private const string KeyVariable = "ISOPROXY_PROBE_KEY";

    private readonly TempDirectory _directory = new();
    private FakeUpstreamServer _upstream = null!;
    private string _configPath = "";

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstreamServer.StartAsync(ct: TestContext.Current.CancellationToken);
        using var otherCa = new TestCertificateAuthority("Some Other CA");
        var otherCaPath = _directory.WriteFile("other-ca.pem", otherCa.CertificatePem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var endpoint = _upstream.BaseUri.GetLeftPart(UriPartial.Authority);
        _configPath = _directory.WriteFile("isoproxy.yaml", $"""
            listen:
              tcp: 127.0.0.1:0
            default_provider: good
            providers:
              good:
                endpoint: {endpoint}
                api_key_env: {KeyVariable}
                ca_file: {_upstream.CaFilePath}
                resolve: [127.0.0.1]
              wrong-ca:
                endpoint: {endpoint}
                api_key_env: {KeyVariable}
                ca_file: {otherCaPath}
                resolve: [127.0.0.1]
              refused:
                endpoint: https://127.0.0.1:{ClosedPort()}
                api_key_env: {KeyVariable}
                ca_file: {_upstream.CaFilePath}
              rejected:
                endpoint: {endpoint}
                api_key_env: {KeyVariable}
                ca_file: {_upstream.CaFilePath}
                resolve: [127.0.0.1]
            """, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        _directory.Dispose();
    }

    private async Task<(int Exit, string Stdout, string Stderr)> ProbeAsync(params string[] extra)
    {
        var output = new CapturedOutput();
        var exit = await IsoproxyCli.RunAsync(["probe", "--config", _configPath, .. extra], output.Options, name => name == KeyVariable ? Key : null);
        Assert.DoesNotContain(Key, output.RequestLogText + output.DiagnosticsText, StringComparison.Ordinal);
        return (exit, output.RequestLogText, output.DiagnosticsText);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Ok_ModelsRequestWithTheKey_Exit0()
    {
        var (exit, stdout, _) = await ProbeAsync("--provider", "good");

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Matches(@"^good: ok \(\d+ ms\)\n$", stdout);
        var request = Assert.Single(_upstream.Requests);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/v1/models", request.Path);
        Assert.Equal("?limit=1", request.QueryString);
        Assert.Equal(Key, request.GetHeader("x-api-key"));
        Assert.Equal("2023-06-01", request.GetHeader("anthropic-version"));
    }

    [Fact]
    public async Task WrongCa_TlsFailure_Exit4()
    {
        var (exit, stdout, _) = await ProbeAsync("--provider", "wrong-ca");

        Assert.Equal(ExitCodes.ProbeFailed, exit);
        Assert.Equal("wrong-ca: upstream_tls_failed\n", stdout);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task RefusedConnection_ConnectFailure_Exit4()
    {
        var (exit, stdout, _) = await ProbeAsync("--provider", "refused");

        Assert.Equal(ExitCodes.ProbeFailed, exit);
        Assert.Equal("refused: upstream_connect_failed\n", stdout);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task UpstreamRejectsKey_KeyRejected_Exit4(int status)
    {
        _upstream.Enqueue(FakeResponse.Error(status, status == 401 ? "authentication_error" : "permission_error", "invalid x-api-key"));

        var (exit, stdout, _) = await ProbeAsync("--provider", "rejected");

        Assert.Equal(ExitCodes.ProbeFailed, exit);
        Assert.Equal($"rejected: key rejected ({status})\n", stdout);
    }

    [Fact]
    public async Task EveryProvider_OneLineEach_Exit4WhenAnyFails()
    {
        var (exit, stdout, _) = await ProbeAsync();

        Assert.Equal(ExitCodes.ProbeFailed, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["good", "wrong-ca", "refused", "rejected"], lines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.StartsWith("good: ok (", lines[0], StringComparison.Ordinal);
        Assert.Equal("wrong-ca: upstream_tls_failed", lines[1]);
        Assert.Equal("refused: upstream_connect_failed", lines[2]);
        // The fake upstream accepts any key unless told otherwise.
        Assert.StartsWith("rejected: ok (", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownProvider_UsageError()
    {
        var (exit, _, stderr) = await ProbeAsync("--provider", "nope");

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("no provider named \"nope\"", stderr, StringComparison.Ordinal);
    }
}
