using System.Globalization;
using System.Net.Sockets;
using Isoproxy.Hosting;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>Who may connect over the Unix socket: file mode, peer credentials, the socket path.</summary>
public sealed class UnixSocketTests
{
    private static Task<ProxyTestEnvironment> StartAsync(string path, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite, uint[]? uids = null, uint[]? gids = null) =>
        ProxyTestEnvironment.StartAsync(
            config => config with
            {
                Listen = config.Listen with
                {
                    UnixSocketPath = path,
                    UnixSocketMode = mode,
                    AllowedUids = [.. uids ?? []],
                    AllowedGids = [.. gids ?? []],
                },
            },
            cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>A client that speaks HTTP over the Unix socket at <paramref name="path"/>.</summary>
    private static HttpClient UnixClient(string path) =>
        new(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { BaseAddress = new Uri("http://localhost"), Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The effective uid and gid of this process, from /proc (no native calls needed).</summary>
    private static (uint Uid, uint Gid) Self()
    {
        var lines = File.ReadAllLines("/proc/self/status");
        uint Effective(string prefix) =>
            uint.Parse(lines.Single(l => l.StartsWith(prefix, StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
        return (Effective("Uid:"), Effective("Gid:"));
    }

    [Theory]
    [InlineData("600")]
    [InlineData("660")]
    [InlineData("666")]
    public async Task SocketFile_CreatedWithConfiguredMode(string octal)
    {
        var mode = (UnixFileMode)Convert.ToInt32(octal, 8);
        var path = ProxyTestEnvironment.NewSocketPath();
        await using var env = await StartAsync(path, mode);

        Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task AllowedUid_OwnUid_Forwarded()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = ProxyTestEnvironment.NewSocketPath();
        await using var env = await StartAsync(path, uids: [Self().Uid]);
        using var client = UnixClient(path);

        using var response = await client.PostAsync("/v1/messages", new StringContent("{}"), ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("/v1/messages", Assert.Single(env.Upstream.Requests).Path);
    }

    [Fact]
    public async Task AllowedGid_OwnGid_Forwarded()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = ProxyTestEnvironment.NewSocketPath();
        var self = Self();
        await using var env = await StartAsync(path, uids: [self.Uid + 54321], gids: [self.Gid]);
        using var client = UnixClient(path);

        using var response = await client.PostAsync("/v1/messages", new StringContent("{}"), ct);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task AllowedUids_OtherUid_Refused403AtAcceptAndReportedAndNeverForwarded()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = ProxyTestEnvironment.NewSocketPath();
        var self = Self();
        var other = self.Uid + 54321;
        await using var env = await StartAsync(path, uids: [other], gids: [self.Gid + 54321]);
        using var client = UnixClient(path);

        using var response = await client.PostAsync("/v1/messages", new StringContent("{}"), ct);

        await ProxyErrorAssert.IsAsync(response, 403, "permission_error", "peer_not_allowed",
            $"isoproxy: uid {self.Uid} / gid {self.Gid} is not in listen.allowed_uids or listen.allowed_gids", ct);
        Assert.Equal(0, env.Upstream.ConnectionCount);
        // Refused at accept, before any request was read: reported on stderr, not in the request log.
        Assert.Contains(
            $"1 from a Unix-socket peer not allowed (last: uid {self.Uid} / gid {self.Gid} is not in listen.allowed_uids or listen.allowed_gids)",
            await WaitForDiagnosticsAsync(env, "from a Unix-socket peer not allowed", ct),
            StringComparison.Ordinal);
        Assert.Equal("", env.RequestLog);
    }

    [Fact]
    public async Task AllowedUids_OtherUid_SendingNothing_Answered403AtOnceAndClosed()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = ProxyTestEnvironment.NewSocketPath();
        var self = Self();
        await using var env = await StartAsync(path, uids: [self.Uid + 54321]);
        using var probe = await Hosting.ConnectionProbe.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);

        // Nothing is sent: the refusal must not wait for a request (nor for any timeout).
        var (received, closed, at) = await probe.ReadUntilClosedAsync(TimeSpan.FromSeconds(5), ct);

        Assert.StartsWith("HTTP/1.1 403 Forbidden\r\n", received, StringComparison.Ordinal);
        Assert.Contains("\r\nx-isoproxy-error: peer_not_allowed\r\n", received, StringComparison.Ordinal);
        Assert.EndsWith("{\"type\":\"error\",\"error\":{\"type\":\"permission_error\",\"message\":\"isoproxy: uid " +
            $"{self.Uid} / gid {self.Gid} is not in listen.allowed_uids or listen.allowed_gids\"}}}}", received, StringComparison.Ordinal);
        Assert.True(closed);
        Assert.True(at < TimeSpan.FromSeconds(2.5), $"closed only after {at}");
    }

    private static async Task<string> WaitForDiagnosticsAsync(ProxyTestEnvironment env, string text, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (!env.Diagnostics.Contains(text, StringComparison.Ordinal))
        {
            await Task.Delay(20, timeout.Token);
        }
        return env.Diagnostics;
    }

    [Fact]
    public async Task StaleSocketFile_Replaced()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = ProxyTestEnvironment.NewSocketPath();
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // Bound, moved away from the path the socket unlinks on close, then closed: what a crashed run leaves behind.
            var bound = path + ".bound";
            stale.Bind(new UnixDomainSocketEndPoint(bound));
            File.Move(bound, path);
        }
        Assert.True(File.Exists(path));

        await using var env = await StartAsync(path);
        using var client = UnixClient(path);
        using var response = await client.GetAsync("/health", ct);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task RegularFileAtSocketPath_RefusesToStartAndKeepsFile()
    {
        var path = ProxyTestEnvironment.NewSocketPath();
        await File.WriteAllTextAsync(path, "somebody's data", TestContext.Current.CancellationToken);
        try
        {
            var error = await Assert.ThrowsAsync<ProxyStartException>(() => StartAsync(path));

            Assert.Equal($"listen.unix: {path} exists and is not a socket; refusing to replace it", error.Message);
            Assert.Equal("somebody's data", await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
