using System.Net;
using System.Net.Sockets;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;

namespace Isoproxy.Tests.Deploy;

/// <summary>
/// The fake upstream plus a temporary directory holding an isoproxy configuration with a
/// <c>listen:</c> section of the test's choosing, for tests that start the real executable.
/// </summary>
public sealed class DeployFixture : IAsyncDisposable
{
    private DeployFixture(FakeUpstreamServer upstream, string directory)
    {
        Upstream = upstream;
        Directory = directory;
    }

    public FakeUpstreamServer Upstream { get; }

    /// <summary>A fresh temporary directory, removed on dispose. Short enough for Unix socket paths.</summary>
    public string Directory { get; }

    /// <summary>The environment holding the provider key the test configuration reads.</summary>
    public static IReadOnlyDictionary<string, string> KeyEnvironment { get; } = new Dictionary<string, string>
    {
        [ProxyTestEnvironment.UpstreamKeyVariable] = ProxyTestEnvironment.UpstreamKey,
    };

    public static async Task<DeployFixture> StartAsync(CancellationToken cancellationToken)
    {
        var upstream = await FakeUpstreamServer.StartAsync(ct: cancellationToken);
        return new DeployFixture(upstream, System.IO.Directory.CreateTempSubdirectory("isoproxy-deploy-").FullName);
    }

    /// <summary>
    /// Writes the test configuration (provider <c>anthropic</c> at the fake upstream, key from
    /// <see cref="ProxyTestEnvironment.UpstreamKeyVariable"/> unless <paramref name="keyYaml"/> says
    /// otherwise) with <paramref name="listenYaml"/> as the <c>listen:</c> body; returns its path.
    /// </summary>
    public async Task<string> WriteConfigAsync(string listenYaml, CancellationToken cancellationToken, string? keyYaml = null, string extraYaml = "")
    {
        var indentedListen = string.Join('\n', listenYaml.Trim().Split('\n').Select(line => "  " + line.Trim()));
        var yaml = $"""
            listen:
            {indentedListen}
            providers:
              anthropic:
                endpoint: {Upstream.BaseUri.GetLeftPart(UriPartial.Authority)}
                {keyYaml ?? $"api_key_env: {ProxyTestEnvironment.UpstreamKeyVariable}"}
                ca_file: {Upstream.CaFilePath}
                resolve: [127.0.0.1]
            limits:
              # A first request pays for a cold TLS handshake; a loaded test machine must not turn that into a 504.
              connect_timeout_seconds: 60

            """ + extraYaml;
        var path = Path.Combine(Directory, "isoproxy.yaml");
        await File.WriteAllTextAsync(path, yaml, cancellationToken);
        return path;
    }

    /// <summary>A loopback port nobody listens on right now (for launchers that cannot take port 0).</summary>
    public static int FreeTcpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    /// <summary>A small non-streaming messages request.</summary>
    public static StringContent MessagesBody() => new("""{"model":"claude-fake-1","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");

    public async ValueTask DisposeAsync()
    {
        await Upstream.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the OS cleans the temp directory eventually.
        }
    }
}
