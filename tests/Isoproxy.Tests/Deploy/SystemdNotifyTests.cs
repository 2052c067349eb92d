using System.Net.Sockets;
using System.Text;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Deploy;

/// <summary>
/// <c>Type=notify</c>: the proxy tells the service manager through <c>NOTIFY_SOCKET</c> (here a
/// datagram socket the test owns) when it serves and when it begins to drain.
/// </summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public async Task NotifySocket_ReadyOnlyOnceThePortAnswers_StoppingOnSigterm()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var port = DeployFixture.FreeTcpPort();
        var config = await fixture.WriteConfigAsync($"tcp: 127.0.0.1:{port}", ct);
        var notifyPath = Path.Combine(fixture.Directory, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var environment = new Dictionary<string, string>(DeployFixture.KeyEnvironment) { ["NOTIFY_SOCKET"] = notifyPath };

        await using var proxy = IsoproxyProcess.Start(environment, "serve", "--config", config);
        var ready = await ReceiveAsync(notify, ct);
        // Probed the moment READY=1 arrives: the listener must already answer.
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var health = await client.GetAsync("/health", ct);
        await proxy.SignalTerminateAsync(ct);
        var stopping = await ReceiveAsync(notify, ct);

        Assert.Equal("READY=1", ready);
        Assert.Equal(200, (int)health.StatusCode);
        Assert.Equal("STOPPING=1", stopping);
        Assert.Equal(0, await proxy.WaitForExitAsync(ct));
    }

    [Fact]
    public async Task NotifySocket_InvalidConfiguration_NeverSignalsReady()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var config = await fixture.WriteConfigAsync("tcp: 127.0.0.1:0", ct, keyYaml: "api_key_env: ISOPROXY_TEST_UNSET_VARIABLE");
        var notifyPath = Path.Combine(fixture.Directory, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));

        await using var proxy = IsoproxyProcess.Start(new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath }, "serve", "--config", config);

        Assert.Equal(1, await proxy.WaitForExitAsync(ct));
        Assert.Equal(0, notify.Available);
    }

    private static async Task<string> ReceiveAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        var length = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }
}
