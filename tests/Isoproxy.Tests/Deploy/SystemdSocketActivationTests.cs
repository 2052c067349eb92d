using System.Text.Json;
using Isoproxy.Configuration;
using Isoproxy.Hosting;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Deploy;

/// <summary>
/// Socket activation without systemd as PID 1: <c>systemd-socket-activate</c> binds the sockets,
/// waits for the first connection, then execs isoproxy with <c>LISTEN_FDS</c>/<c>LISTEN_PID</c>
/// set, exactly as systemd does for <c>isoproxy.socket</c>.
/// </summary>
public sealed class SystemdSocketActivationTests
{
    [Fact]
    public async Task PassedUnixAndTcpSockets_RequestsThroughBoth_ReachTheUpstreamWithTheKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var socketPath = Path.Combine(fixture.Directory, "isoproxy.sock");
        var port = DeployFixture.FreeTcpPort();
        var config = await fixture.WriteConfigAsync("systemd: true", ct);

        await using var proxy = IsoproxyProcess.StartWrapped(
            Activate("-l", $"127.0.0.1:{port}", "-l", socketPath), DeployFixture.KeyEnvironment, "serve", "--config", config);
        await WaitForPathAsync(socketPath, ct);

        // The first connection makes the launcher exec isoproxy, which then accepts it.
        using var unixClient = UnixSocketHttpClient.Create(socketPath);
        using var overUnix = await unixClient.PostAsync("/v1/messages", DeployFixture.MessagesBody(), ct);
        Assert.Equal(port, await proxy.WaitForListeningAsync(ct));
        using var tcpClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var overTcp = await tcpClient.PostAsync("/v1/messages", DeployFixture.MessagesBody(), ct);

        Assert.Equal(200, (int)overUnix.StatusCode);
        Assert.Equal(200, (int)overTcp.StatusCode);
        Assert.Equal(2, fixture.Upstream.Requests.Count);
        Assert.All(fixture.Upstream.Requests, r => Assert.Equal(ProxyTestEnvironment.UpstreamKey, r.GetHeader("x-api-key")));
        Assert.Contains($"listening on http://127.0.0.1:{port} (from systemd), unix:{socketPath} (from systemd)\n", proxy.Stderr, StringComparison.Ordinal);
        await proxy.StopAsync(ct);
        Assert.Equal(0, proxy.ExitCode);
        // systemd owns the socket file: the proxy leaves it in place.
        Assert.True(File.Exists(socketPath));
    }

    [Fact]
    public async Task PassedUnixSocket_AllowedUidsApply_TcpHasNoPeerCredentials()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var socketPath = Path.Combine(fixture.Directory, "isoproxy.sock");
        var port = DeployFixture.FreeTcpPort();
        // Nobody runs as uid 4242 here, so every Unix-socket peer is refused.
        var config = await fixture.WriteConfigAsync("systemd: true\nallowed_uids: [4242]", ct);

        await using var proxy = IsoproxyProcess.StartWrapped(
            Activate("-l", $"127.0.0.1:{port}", "-l", socketPath), DeployFixture.KeyEnvironment, "serve", "--config", config);
        await WaitForPathAsync(socketPath, ct);
        using var unixClient = UnixSocketHttpClient.Create(socketPath);
        using var overUnix = await unixClient.PostAsync("/v1/messages", DeployFixture.MessagesBody(), ct);
        await proxy.WaitForListeningAsync(ct);
        using var tcpClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var overTcp = await tcpClient.PostAsync("/v1/messages", DeployFixture.MessagesBody(), ct);

        Assert.Equal(403, (int)overUnix.StatusCode);
        Assert.Equal("peer_not_allowed", string.Join(",", overUnix.Headers.GetValues("x-isoproxy-error")));
        using var body = JsonDocument.Parse(await overUnix.Content.ReadAsStringAsync(ct));
        Assert.Equal("permission_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(200, (int)overTcp.StatusCode);
        Assert.Single(fixture.Upstream.Requests);
    }

    [Fact]
    public async Task SystemdTrue_WithoutPassedSockets_ExitsWithStartFailureNamingTheProblem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var config = await fixture.WriteConfigAsync("systemd: true", ct);

        await using var proxy = IsoproxyProcess.Start(DeployFixture.KeyEnvironment, "serve", "--config", config);

        Assert.Equal(3, await proxy.WaitForExitAsync(ct));
        Assert.Contains("listen.systemd is true but systemd passed no sockets (LISTEN_FDS and LISTEN_PID are not set)", proxy.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PassedNonLoopbackTcpSocket_IsRefusedAtStart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var port = DeployFixture.FreeTcpPort();
        var config = await fixture.WriteConfigAsync("systemd: true", ct);

        await using var proxy = IsoproxyProcess.StartWrapped(
            Activate("-l", $"0.0.0.0:{port}"), DeployFixture.KeyEnvironment, "serve", "--config", config);
        await WaitForTcpListenerAsync(port, ct);
        using var tcpClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => tcpClient.GetAsync("/health", ct));

        Assert.Equal(3, await proxy.WaitForExitAsync(ct));
        Assert.Contains($"passed socket 3 listens on 0.0.0.0:{port}, which is not a loopback address", proxy.Stderr, StringComparison.Ordinal);
        Assert.Empty(fixture.Upstream.Requests);
    }

    [Theory]
    [InlineData(null, null, "systemd passed no sockets (LISTEN_FDS and LISTEN_PID are not set)")]
    [InlineData("999", "2", "the passed sockets belong to another process (LISTEN_PID=999, this is 4242)")]
    [InlineData("4242", "0", "systemd passed no sockets (LISTEN_FDS=0)")]
    [InlineData("4242", "x;rm", "systemd passed no sockets (LISTEN_FDS=x?rm)")]
    public void Descriptors_WithoutUsablePassedSockets_NamesTheProblem(string? listenPid, string? listenFds, string expected)
    {
        var (descriptors, problem) = SystemdSockets.Descriptors(listenPid, listenFds, processId: 4242);

        Assert.Empty(descriptors);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Descriptors_ForThisProcess_StartAtThree()
    {
        var (descriptors, problem) = SystemdSockets.Descriptors("4242", "2", processId: 4242);

        Assert.Null(problem);
        Assert.Equal([3, 4], descriptors);
    }

    [Fact]
    public void ListenSystemd_CombinedWithTcpOrUnix_IsAConfigurationError()
    {
        var yaml = """
            listen:
              systemd: true
              unix: /run/isoproxy/isoproxy.sock
            providers:
              anthropic:
                endpoint: https://api.anthropic.com
                api_key_env: K
            """;

        var result = ConfigLoader.LoadYaml(yaml, "test.yaml", name => name == "K" ? "key" : null);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Contains("listen.unix: cannot be combined with listen.systemd: true", StringComparison.Ordinal));
    }

    /// <summary>
    /// The launcher with the given <c>-l</c> sockets (descriptors 3, 4, … in this order). Like
    /// systemd it passes only the environment it is told to (<c>-E</c>): here the provider key.
    /// </summary>
    private static string[] Activate(params string[] listen) =>
        ["systemd-socket-activate", "-E", ProxyTestEnvironment.UpstreamKeyVariable, .. listen, "--"];

    private static async Task WaitForPathAsync(string path, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 400 && !File.Exists(path); i++)
        {
            await Task.Delay(25, cancellationToken);
        }

        Assert.True(File.Exists(path), $"{path} was never created");
    }

    /// <summary>Waits until the launcher has bound the port, without connecting (a connection would activate the service).</summary>
    private static async Task WaitForTcpListenerAsync(int port, CancellationToken cancellationToken)
    {
        var properties = System.Net.NetworkInformation.IPGlobalProperties.GetIPGlobalProperties();
        for (var i = 0; i < 400 && !properties.GetActiveTcpListeners().Any(l => l.Port == port); i++)
        {
            await Task.Delay(25, cancellationToken);
        }

        Assert.Contains(properties.GetActiveTcpListeners(), l => l.Port == port);
    }
}
