using System.Net;
using System.Text.Json;
using Isoproxy.Configuration;
using Isoproxy.FakeUpstream;
using Isoproxy.Hosting;
using Isoproxy.Tests.Configuration;
using Isoproxy.Tests.Infrastructure;

namespace Isoproxy.Tests.Operations;

/// <summary>
/// The real proxy with an admin listener on 127.0.0.1:0, configured from a real file in front
/// of the real HTTPS fake upstream, so that tests can rewrite the file and reload it.
/// </summary>
internal sealed class OperatedProxy : IAsyncDisposable
{
    public const string KeyFileName = "anthropic.key";
    public const string FirstKey = "rotating-key-one-4a7c";

    private readonly CapturedOutput _output;
    private readonly TempDirectory _directory;

    private OperatedProxy(FakeUpstreamServer upstream, ProxyServer proxy, CapturedOutput output, TempDirectory directory, string configPath)
    {
        Upstream = upstream;
        Proxy = proxy;
        _output = output;
        _directory = directory;
        ConfigPath = configPath;
        Client = NewClient(proxy.TcpBaseUri!);
        Admin = NewClient(proxy.AdminBaseUri!);
    }

    public FakeUpstreamServer Upstream { get; }
    public ProxyServer Proxy { get; }
    public string ConfigPath { get; }
    public string Directory => _directory.Path;
    public string KeyPath => Path.Combine(_directory.Path, KeyFileName);

    /// <summary>A client of the agent-facing TCP listener.</summary>
    public HttpClient Client { get; }

    /// <summary>A client of the admin listener.</summary>
    public HttpClient Admin { get; }

    public string RequestLog => _output.RequestLogText;
    public string Diagnostics => _output.DiagnosticsText;

    /// <summary>The security events written so far (the JSON lines on stderr).</summary>
    public List<JsonElement> Events =>
    [
        .. Diagnostics.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()),
    ];

    /// <summary>
    /// The configuration file: provider <c>anthropic</c> at the fake upstream with its key in a
    /// file, TCP and admin on 127.0.0.1:0, then <paramref name="extraYaml"/>.
    /// </summary>
    public static string Yaml(FakeUpstreamServer upstream, string extraYaml = "", string adminAndListen = DefaultListeners) => $"""
        {adminAndListen}
        providers:
          anthropic:
            endpoint: {upstream.BaseUri.GetLeftPart(UriPartial.Authority)}
            api_key_file: {KeyFileName}
            ca_file: {upstream.CaFilePath}
            resolve: [127.0.0.1]

        """ + extraYaml;

    public const string DefaultListeners = """
        listen:
          tcp: 127.0.0.1:0
        admin:
          tcp: 127.0.0.1:0
        """;

    public static async Task<OperatedProxy> StartAsync(string extraYaml = "", CancellationToken cancellationToken = default, string listeners = DefaultListeners)
    {
        var upstream = await FakeUpstreamServer.StartAsync(ct: cancellationToken);
        var directory = new TempDirectory();
        try
        {
            directory.WriteFile(KeyFileName, FirstKey + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
            var configPath = Path.Combine(directory.Path, "isoproxy.yaml");
            await File.WriteAllTextAsync(configPath, Yaml(upstream, extraYaml, listeners), cancellationToken);
            var result = Load(configPath);
            if (!result.IsValid)
            {
                throw new InvalidOperationException("test configuration is invalid: " + string.Join("; ", result.Errors));
            }
            var output = new CapturedOutput();
            var proxy = await ProxyServer.StartAsync(result.Config!, output.Options, cancellationToken);
            return new OperatedProxy(upstream, proxy, output, directory, configPath);
        }
        catch
        {
            await upstream.DisposeAsync();
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Rewrites the configuration file and reloads it the way SIGHUP does.</summary>
    public async Task<ReloadResult> RewriteAndReloadAsync(string yaml, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(ConfigPath, yaml, cancellationToken);
        return await ReloadAsync();
    }

    public Task<ReloadResult> ReloadAsync() => Proxy.ReloadAsync(() => Load(ConfigPath), ConfigPath);

    /// <summary>Replaces the key file's content (owner-only, as the loader demands).</summary>
    public void WriteKey(string key) => _directory.WriteFile(KeyFileName, key + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

    /// <summary>The metrics exposition as the admin listener serves it now.</summary>
    public Task<string> ScrapeAsync(CancellationToken cancellationToken) => Admin.GetStringAsync("/metrics", cancellationToken);

    /// <summary>Waits (bounded) until the request log holds <paramref name="count"/> lines: metrics are recorded with them.</summary>
    public async Task WaitForRequestsAsync(int count, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        while (RequestLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length < count)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public static ConfigLoadResult Load(string path) => ConfigLoader.LoadFile(path, _ => null);

    public static HttpClient NewClient(Uri baseUri) =>
        new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None })
        {
            BaseAddress = baseUri,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await Proxy.DisposeAsync();
        await Upstream.DisposeAsync();
        _directory.Dispose();
    }
}
