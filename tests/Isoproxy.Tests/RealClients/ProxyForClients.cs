using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Deploy;
using Isoproxy.Tests.Infrastructure;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// The proxy a real client talks to, in front of the fake upstream, listening on loopback TCP and
/// optionally a Unix socket: in-process, or, when <c>ISOPROXY_BINARY</c> names a published
/// binary, that executable, so the real-client scenarios prove the release artifact too.
/// </summary>
public sealed class ProxyForClients : IAsyncDisposable
{
    private readonly ProxyTestEnvironment? _inProcess;
    private readonly DeployFixture? _fixture;
    private readonly IsoproxyProcess? _process;

    private ProxyForClients(FakeUpstreamServer upstream, int tcpPort, string? unixSocketPath, ProxyTestEnvironment? inProcess, DeployFixture? fixture, IsoproxyProcess? process)
    {
        Upstream = upstream;
        TcpPort = tcpPort;
        UnixSocketPath = unixSocketPath;
        _inProcess = inProcess;
        _fixture = fixture;
        _process = process;
    }

    public FakeUpstreamServer Upstream { get; }

    public int TcpPort { get; }

    /// <summary>The proxy's Unix socket, or null when it listens on TCP only.</summary>
    public string? UnixSocketPath { get; }

    /// <summary>Everything the proxy wrote to its request log so far.</summary>
    public string RequestLog => _inProcess?.RequestLog ?? _process!.Stdout;

    public static async Task<ProxyForClients> StartAsync(bool unixSocket, CancellationToken cancellationToken)
    {
        if (!IsoproxyProcess.IsPublishedBinary)
        {
            var socketPath = unixSocket ? ProxyTestEnvironment.NewSocketPath() : null;
            var environment = await ProxyTestEnvironment.StartAsync(
                config => socketPath is null ? config : config with { Listen = config.Listen with { UnixSocketPath = socketPath } },
                cancellationToken: cancellationToken);
            return new ProxyForClients(environment.Upstream, environment.ProxyUri.Port, socketPath, environment, null, null);
        }

        var fixture = await DeployFixture.StartAsync(cancellationToken);
        try
        {
            var socket = unixSocket ? Path.Combine(fixture.Directory, "isoproxy.sock") : null;
            var config = await fixture.WriteConfigAsync("tcp: 127.0.0.1:0" + (socket is null ? "" : $"\nunix: {socket}"), cancellationToken);
            var process = IsoproxyProcess.Start(DeployFixture.KeyEnvironment, "serve", "--config", config);
            try
            {
                var port = await process.WaitForListeningAsync(cancellationToken);
                return new ProxyForClients(fixture.Upstream, port, socket, null, fixture, process);
            }
            catch
            {
                await process.DisposeAsync();
                throw;
            }
        }
        catch
        {
            await fixture.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
        }

        if (_process is not null)
        {
            await _process.StopAsync(CancellationToken.None);
            await _process.DisposeAsync();
        }

        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }
}
