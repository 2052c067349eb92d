using System.Net.Sockets;
using Isoproxy.Configuration;
using Isoproxy.FakeUpstream;
using Isoproxy.Hosting;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>TCP and Unix-socket listeners, alone or together.</summary>
public sealed class ListenerTests
{
    [Fact]
    public async Task TcpAndUnixSocket_BothServeAtOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        var socketPath = ProxyTestEnvironment.NewSocketPath();
        await using var env = await ProxyTestEnvironment.StartAsync(
            config => config with { Listen = config.Listen with { UnixSocketPath = socketPath } }, cancellationToken: ct);
        env.Upstream.Enqueue(FakeResponse.Json(200, """{"via":"tcp"}"""));
        env.Upstream.Enqueue(FakeResponse.Json(200, """{"via":"unix"}"""));

        using var overTcp = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), ct);
        using var unixClient = UnixSocketHttpClient.Create(socketPath);
        using var overUnix = await unixClient.PostAsync("/v1/messages?beta=true", new StringContent("{}"), ct);

        Assert.Equal("""{"via":"tcp"}""", await overTcp.Content.ReadAsStringAsync(ct));
        Assert.Equal("""{"via":"unix"}""", await overUnix.Content.ReadAsStringAsync(ct));
        Assert.Equal(2, env.Upstream.Requests.Count);
        Assert.Equal("?beta=true", env.Upstream.Requests[1].QueryString);
    }

    [Fact]
    public async Task UnixSocketOnly_ServesWithConfiguredMode()
    {
        var ct = TestContext.Current.CancellationToken;
        var socketPath = ProxyTestEnvironment.NewSocketPath();
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);
        var config = UnixOnly(upstream, socketPath, mode);

        await using (var proxy = await ProxyServer.StartAsync(config, new CapturedOutput().Options, ct))
        {
            Assert.Null(proxy.TcpEndPoint);
            Assert.Equal(mode, File.GetUnixFileMode(socketPath));
            using var client = UnixSocketHttpClient.Create(socketPath);
            using var response = await client.GetAsync("/v1/models", ct);
            Assert.Equal(200, (int)response.StatusCode);
        }

        // The proxy removes its socket when it stops.
        Assert.False(File.Exists(socketPath));
    }

    [Fact]
    public async Task StaleSocketFile_IsReplacedAtStart()
    {
        var ct = TestContext.Current.CancellationToken;
        var socketPath = ProxyTestEnvironment.NewSocketPath();
        // A socket file nobody listens on, as a crash leaves it. (.NET unlinks a bound socket's
        // file when the socket is disposed, so it stays open, bound and not listening, meanwhile.)
        using var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stale.Bind(new UnixDomainSocketEndPoint(socketPath));
        Assert.True(File.Exists(socketPath));
        await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);

        await using (var proxy = await ProxyServer.StartAsync(UnixOnly(upstream, socketPath, (UnixFileMode)0b110_110_000), new CapturedOutput().Options, ct))
        {
            using var client = UnixSocketHttpClient.Create(socketPath);
            using var response = await client.GetAsync("/health", ct);
            Assert.Equal(200, (int)response.StatusCode);
        }
    }

    [Fact]
    public async Task RegularFileAtSocketPath_RefusesToStartAndKeepsTheFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var socketPath = ProxyTestEnvironment.NewSocketPath();
        await File.WriteAllTextAsync(socketPath, "somebody's data", ct);
        try
        {
            await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);

            var error = await Assert.ThrowsAsync<ProxyStartException>(() =>
                ProxyServer.StartAsync(UnixOnly(upstream, socketPath, (UnixFileMode)0b110_110_000), new CapturedOutput().Options, ct));

            Assert.Contains("is not a socket", error.Message, StringComparison.Ordinal);
            Assert.Equal("somebody's data", await File.ReadAllTextAsync(socketPath, ct));
        }
        finally
        {
            File.Delete(socketPath);
        }
    }

    [Fact]
    public async Task TcpPortInUse_StartFailsWithAClearMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        var taken = env.Proxy.TcpEndPoint!;

        var error = await Assert.ThrowsAsync<ProxyStartException>(() =>
            ProxyServer.StartAsync(env.Proxy.Config with { Listen = env.Proxy.Config.Listen with { Tcp = taken } }, new CapturedOutput().Options, ct));

        Assert.Contains("cannot listen", error.Message, StringComparison.Ordinal);
    }

    private static ProxyConfig UnixOnly(FakeUpstreamServer upstream, string socketPath, UnixFileMode mode)
    {
        var config = ProxyTestEnvironment.BaseConfig(upstream, Path.GetTempPath());
        return config with { Listen = config.Listen with { Tcp = null, UnixSocketPath = socketPath, UnixSocketMode = mode } };
    }
}
