using System.Collections.Frozen;
using System.Net;
using Isoproxy.Configuration;
using Isoproxy.Forwarding;
using Isoproxy.Limits;
using Isoproxy.Logging;
using Isoproxy.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Hosting;

/// <summary>A running proxy: Kestrel listeners in front of <see cref="ProxyRequestHandler"/>.</summary>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ShutdownSignal _shutdown;
    private readonly FrozenDictionary<string, HttpMessageInvoker> _upstreams;

    private ProxyServer(WebApplication app, ShutdownSignal shutdown, FrozenDictionary<string, HttpMessageInvoker> upstreams, ProxyConfig config)
    {
        _app = app;
        _shutdown = shutdown;
        _upstreams = upstreams;
        Config = config;
    }

    public ProxyConfig Config { get; }

    /// <summary>The bound TCP endpoint (the real port when the configuration asked for port 0), or null.</summary>
    public IPEndPoint? TcpEndPoint { get; private set; }

    /// <summary><c>http://host:port</c> of the TCP listener, or null.</summary>
    public Uri? TcpBaseUri => TcpEndPoint is null ? null : new Uri($"http://{TcpEndPoint}");

    public string? UnixSocketPath => Config.Listen.UnixSocketPath;

    /// <summary>Completes when the proxy has stopped (after a signal or <see cref="StopAsync"/>).</summary>
    public Task Completion => _app.WaitForShutdownAsync();

    /// <summary>Starts listening; throws <see cref="ProxyStartException"/> naming the problem when it cannot.</summary>
    public static async Task<ProxyServer> StartAsync(ProxyConfig config, ProxyServerOptions options, CancellationToken cancellationToken = default)
    {
        if (config.Listen.UnixSocketPath is string socketPath && UnixSocketFile.PrepareForBind(socketPath) is string problem)
        {
            throw new ProxyStartException(problem);
        }

        TrustStoreWarmUp.Start();
        // The empty builder reads no appsettings.json, environment or command-line configuration:
        // the YAML file is the only configuration, and no file watcher walks the working directory.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [], ApplicationName = "isoproxy" });
        builder.WebHost.UseKestrelCore();
        ConfigureLogging(builder.Logging, config.Logging.Mode, options.Diagnostics);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        // Kestrel may finish in-flight requests for the grace period, plus time to end streams cleanly.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.Limits.ShutdownGrace + TimeSpan.FromSeconds(5));
        builder.Services.AddHttpForwarder();
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, config));

        var shutdown = new ShutdownSignal();
        var upstreams = config.Providers.ToFrozenDictionary(p => p.Name, p => UpstreamClientFactory.Create(p, config.Limits), StringComparer.Ordinal);
        var app = builder.Build();
        var handler = new ProxyRequestHandler(
            config,
            app.Services.GetRequiredService<IHttpForwarder>(),
            upstreams,
            new ConcurrencyGate(config.Limits.MaxConcurrentRequests),
            new RequestLogWriter(options.RequestLog, config.Logging.Mode),
            shutdown);
        app.Run(handler.HandleAsync);

        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(() => shutdown.Begin(config.Limits.ShutdownGrace));

        var server = new ProxyServer(app, shutdown, upstreams, config);
        try
        {
            if (config.Listen.UnixSocketPath is string path)
            {
                await UnixSocketFile.BindWithModeAsync(config.Listen.UnixSocketMode, () => app.StartAsync(cancellationToken));
                File.SetUnixFileMode(path, config.Listen.UnixSocketMode);
            }
            else
            {
                await app.StartAsync(cancellationToken);
            }
        }
        catch (IOException ex)
        {
            await server.DisposeAsync();
            throw new ProxyStartException($"cannot listen: {ex.Message}");
        }

        server.TcpEndPoint = FindTcpEndPoint(app, config);
        return server;
    }

    /// <summary>Stops gracefully: no new requests, in-flight ones get the grace period.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        foreach (var upstream in _upstreams.Values)
        {
            upstream.Dispose();
        }
        _shutdown.Dispose();
        if (Config.Listen.UnixSocketPath is string path && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ProxyConfig config)
    {
        // The proxy adds nothing of its own to responses.
        kestrel.AddServerHeader = false;
        kestrel.AllowSynchronousIO = false;

        var limits = kestrel.Limits;
        // A declared or counted body past this fails before the upstream receives it whole.
        limits.MaxRequestBodySize = config.Limits.MaxRequestBytes;
        limits.MaxRequestHeadersTotalSize = config.Limits.MaxRequestHeaderBytes;
        limits.MaxRequestHeaderCount = config.Limits.MaxRequestHeaders;
        limits.MaxRequestLineSize = 8 * 1024;
        // A slow-loris client is dropped: headers must arrive promptly, bodies at a minimum rate.
        limits.RequestHeadersTimeout = config.Limits.ClientHeaderTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: config.Limits.ClientMinBodyBytesPerSecond, gracePeriod: TimeSpan.FromSeconds(5));
        limits.KeepAliveTimeout = config.Limits.ClientKeepAlive;

        if (config.Listen.Tcp is IPEndPoint endPoint)
        {
            kestrel.Listen(endPoint, listen => listen.Protocols = HttpProtocols.Http1);
        }
        if (config.Listen.UnixSocketPath is string path)
        {
            kestrel.ListenUnixSocket(path, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (PeerPolicy.IsConfigured(config.Listen))
                {
                    // Who connected, read once per connection; the request handler refuses peers not allowed.
                    listen.Use(PeerCredentials.Capture);
                }
            });
        }
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogMode mode, TextWriter diagnostics)
    {
        logging.ClearProviders();
        logging.AddProvider(new DiagnosticsLoggerProvider(diagnostics));
        // The request log is the proxy's own; framework chatter is for failures only.
        logging.SetMinimumLevel(mode == LogMode.Debug ? LogLevel.Information : LogLevel.Warning);
        // The forwarder's per-request errors are already in the request log line.
        logging.AddFilter("Yarp", LogLevel.None);
        // ASP.NET's own per-request lines would repeat the request log with full URLs (queries included).
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Routing", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel.Connections", LogLevel.Warning);
    }

    private static IPEndPoint? FindTcpEndPoint(WebApplication app, ProxyConfig config)
    {
        if (config.Listen.Tcp is null)
        {
            return null;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (address.StartsWith("http://unix:", StringComparison.Ordinal))
            {
                continue;
            }
            var port = new Uri(address).Port;
            return new IPEndPoint(config.Listen.Tcp.Address, port);
        }
        return config.Listen.Tcp;
    }
}
