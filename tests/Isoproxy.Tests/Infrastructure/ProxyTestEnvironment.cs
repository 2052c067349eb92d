using System.Collections.Immutable;
using System.Net;
using Isoproxy.Configuration;
using Isoproxy.FakeUpstream;
using Isoproxy.Hosting;

namespace Isoproxy.Tests.Infrastructure;

/// <summary>
/// The real proxy on a loopback port (and optionally a Unix socket) in front of the real HTTPS
/// fake upstream, whose CA the proxy trusts through <c>ca_file</c>. Everything is torn down on dispose.
/// </summary>
public sealed class ProxyTestEnvironment : IAsyncDisposable
{
    /// <summary>The provider key the proxy injects. Shaped unlike any real key on purpose.</summary>
    public const string UpstreamKey = "test-upstream-key-7f3a9c";

    /// <summary>The environment variable the test configuration reads the key from.</summary>
    public const string UpstreamKeyVariable = "ISOPROXY_TEST_UPSTREAM_KEY";

    private readonly string _tempDirectory;
    private readonly CapturedOutput _output;

    private ProxyTestEnvironment(FakeUpstreamServer upstream, ProxyServer proxy, CapturedOutput output, string tempDirectory)
    {
        Upstream = upstream;
        Proxy = proxy;
        _output = output;
        _tempDirectory = tempDirectory;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = proxy.TcpBaseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public FakeUpstreamServer Upstream { get; }
    public ProxyServer Proxy { get; }

    /// <summary>A plain client of the proxy's TCP listener: no proxy, no decompression, nothing added.</summary>
    public HttpClient Client { get; }

    /// <summary>Everything the proxy wrote to its request log so far.</summary>
    public string RequestLog => _output.RequestLogText;

    /// <summary>
    /// The request log once it holds <paramref name="count"/> lines: the proxy writes a request's
    /// line after the client may already have the whole response.
    /// </summary>
    public async Task<string[]> WaitForLogLinesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (true)
        {
            var lines = RequestLog.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length >= count || DateTime.UtcNow > deadline)
            {
                return lines;
            }
            await Task.Delay(10);
        }
    }

    /// <summary>Everything the proxy wrote to its diagnostics so far.</summary>
    public string Diagnostics => _output.DiagnosticsText;

    public Uri ProxyUri => Proxy.TcpBaseUri!;

    /// <summary>
    /// Starts the fake upstream and the proxy. The configuration is the test base configuration
    /// (one provider <c>anthropic</c> at the fake upstream, TCP on 127.0.0.1:0), changed by <paramref name="configure"/>.
    /// </summary>
    public static async Task<ProxyTestEnvironment> StartAsync(
        Func<ProxyConfig, ProxyConfig>? configure = null,
        FakeUpstreamOptions? upstreamOptions = null,
        CancellationToken cancellationToken = default)
    {
        var upstream = await FakeUpstreamServer.StartAsync(upstreamOptions, cancellationToken);
        var tempDirectory = Directory.CreateTempSubdirectory("isoproxy-test-").FullName;
        try
        {
            var config = BaseConfig(upstream, tempDirectory);
            if (configure is not null)
            {
                config = configure(config);
            }

            var output = new CapturedOutput();
            var proxy = await ProxyServer.StartAsync(config, output.Options, cancellationToken);
            return new ProxyTestEnvironment(upstream, proxy, output, tempDirectory);
        }
        catch
        {
            await upstream.DisposeAsync();
            Directory.Delete(tempDirectory, recursive: true);
            throw;
        }
    }

    /// <summary>
    /// The test base configuration as YAML: one provider <c>anthropic</c> at the fake upstream
    /// (its CA trusted through <c>ca_file</c>, its address pinned), TCP on 127.0.0.1:0, plus
    /// <paramref name="extraYaml"/> (further top-level sections, e.g. <c>limits:</c>).
    /// </summary>
    public static string BaseYaml(FakeUpstreamServer upstream, string extraYaml = "") => $"""
        listen:
          tcp: 127.0.0.1:0
        providers:
          anthropic:
            endpoint: {upstream.BaseUri.GetLeftPart(UriPartial.Authority)}
            api_key_env: {UpstreamKeyVariable}
            ca_file: {upstream.CaFilePath}
            resolve: [127.0.0.1]
        logging:
          mode: metadata

        """ + extraYaml;

    /// <summary>Writes <see cref="BaseYaml"/> to a file for the real executable; returns its path.</summary>
    public static async Task<string> WriteConfigFileAsync(FakeUpstreamServer upstream, string directory, string extraYaml, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "isoproxy.yaml");
        await File.WriteAllTextAsync(path, BaseYaml(upstream, extraYaml), cancellationToken);
        return path;
    }

    /// <summary>The test base configuration, loaded through the real loader so the tests also exercise it.</summary>
    public static ProxyConfig BaseConfig(FakeUpstreamServer upstream, string tempDirectory)
    {
        var result = ConfigLoader.LoadYaml(BaseYaml(upstream), Path.Combine(tempDirectory, "test.yaml"), Environment);
        if (!result.IsValid)
        {
            throw new InvalidOperationException("test configuration is invalid: " + string.Join("; ", result.Errors));
        }
        return result.Config!;
    }

    /// <summary>The environment the test configuration sees.</summary>
    public static string? Environment(string name) => name == UpstreamKeyVariable ? UpstreamKey : null;

    /// <summary>A fresh path for a Unix socket in this environment's temp directory.</summary>
    public static string NewSocketPath() =>
        Path.Combine(Path.GetTempPath(), $"isoproxy-{Guid.NewGuid():N}"[..24] + ".sock");

    /// <summary>Adds a second provider pointing at the same fake upstream (for provider-selection tests).</summary>
    public static ProxyConfig WithSecondProvider(ProxyConfig config, string name, UpstreamAuth auth, string key)
    {
        var first = config.Providers[0];
        var second = first with { Name = name, Auth = auth, Key = new Credentials.ApiKey(key), KeySource = "test" };
        return config with { Providers = config.Providers.Add(second) };
    }

    public static ImmutableArray<T> Array<T>(params T[] items) => [.. items];

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
        try
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the OS cleans the temp directory eventually.
        }
    }
}
