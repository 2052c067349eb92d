using System.Net;
using Isoproxy.Configuration;
using Isoproxy.Forwarding;
using Isoproxy.Limits;
using Isoproxy.Operations;
using Isoproxy.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace Isoproxy.Hosting;

/// <summary>A running proxy: Kestrel listeners in front of <see cref="ProxyRequestHandler"/>.</summary>
public sealed class ProxyServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ShutdownSignal _shutdown;
    private readonly ProxyRuntimeHolder _runtime;
    private readonly ConcurrencyGate _concurrency;
    private readonly ProxyServerOptions _options;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private AdminServer? _admin;
    private volatile bool _listening;
    private long _stopStarted;
    private SystemdNotifier? _notifier;

    private ProxyServer(WebApplication app, ShutdownSignal shutdown, ProxyRuntimeHolder runtime, ConcurrencyGate concurrency,
        ProxyMetrics metrics, SecurityEventWriter events, ProxyServerOptions options, IReadOnlyList<PassedSocket> passedSockets, ConnectionGate connections)
    {
        _app = app;
        _shutdown = shutdown;
        _runtime = runtime;
        _concurrency = concurrency;
        _options = options;
        Metrics = metrics;
        Events = events;
        PassedSockets = passedSockets;
        Connections = connections;
    }

    /// <summary>The configuration new requests use: the one started with, or the last one reloaded.</summary>
    public ProxyConfig Config => _runtime.Current.Config;

    /// <summary>The runtime new requests start on.</summary>
    internal ProxyRuntime Runtime => _runtime.Current;

    /// <summary>The proxy's instruments, exported on the admin listener.</summary>
    public ProxyMetrics Metrics { get; }

    /// <summary>The security event stream (JSON lines on the diagnostics writer).</summary>
    public SecurityEventWriter Events { get; }

    /// <summary>The admin listener's TCP endpoint, or null when there is none.</summary>
    public IPEndPoint? AdminTcpEndPoint => _admin?.TcpEndPoint;

    /// <summary><c>http://host:port</c> of the admin TCP listener, or null.</summary>
    public Uri? AdminBaseUri => AdminTcpEndPoint is null ? null : new Uri($"http://{AdminTcpEndPoint}");

    /// <summary>What <c>/readyz</c> says now.</summary>
    public Readiness Readiness => _shutdown.Stopping.IsCancellationRequested ? Readiness.Draining
        : _listening ? Readiness.Ready
        : Readiness.Starting;

    /// <summary>The sockets systemd passed (<c>listen.systemd</c>); empty otherwise.</summary>
    public IReadOnlyList<PassedSocket> PassedSockets { get; }

    /// <summary>Open client connections and refusals by reason, for monitoring.</summary>
    public ConnectionGate Connections { get; }

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
        var passedSockets = config.Listen.Systemd ? FindPassedSockets(config.Listen) : [];

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
        var connections = new ConnectionGate(config.Limits.MaxConnections);
        var reporter = new RefusalReporter(options.Diagnostics, connections, TimeProvider.System);
        // Accept loops that survive running out of file descriptors.
        builder.Services.AddSingleton(reporter);
        builder.Services.AddSingleton<IConnectionListenerFactory, GuardedListenerFactory>();
        var metrics = new ProxyMetrics(options.Version);
        var events = new SecurityEventWriter(options.Diagnostics);
        metrics.ObserveConnections(() => connections.Open, () => ConnectionRefusals.Counts(connections));
        var admission = new ConnectionAdmission(config, connections, reporter, events);
        builder.WebHost.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, config, admission, passedSockets));

        var shutdown = new ShutdownSignal();
        var runtime = new ProxyRuntimeHolder(new ProxyRuntime(config, options.RequestLog));
        var concurrency = new ConcurrencyGate(config.Limits.MaxConcurrentRequests);
        var app = builder.Build();
        var handler = new ProxyRequestHandler(
            runtime,
            app.Services.GetRequiredService<IHttpForwarder>(),
            concurrency,
            shutdown,
            new RequestReporter(metrics, events));
        // The first request's headers are in: the connection's accept-time deadline is met.
        app.Use((context, next) =>
        {
            context.Features.Get<FirstRequestDeadline>()?.RequestArrived();
            return next(context);
        });
        app.Run(handler.HandleAsync);

        var server = new ProxyServer(app, shutdown, runtime, concurrency, metrics, events, options, passedSockets, connections);
        // Type=notify: the service manager learns when the proxy serves and when it begins to drain.
        // The notifier speaks only when NOTIFY_SOCKET is set, i.e. when a service manager asked for it.
        server._notifier = options.NotifyServiceManager ? new SystemdNotifier() : null;
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        lifetime.ApplicationStopping.Register(server.OnStopping);
        lifetime.ApplicationStopped.Register(server.OnStopped);
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
        if (config.Admin is AdminConfig admin)
        {
            try
            {
                server._admin = await AdminServer.StartAsync(admin, metrics, () => server.Readiness, config.Logging.Mode, options.Diagnostics, cancellationToken);
            }
            catch (ProxyStartException)
            {
                await server.DisposeAsync();
                throw;
            }
        }
        FitConnectionsToDescriptors(connections, config.Limits, options.Diagnostics);
        server._listening = true;
        // Only now: the configuration is loaded and every listener accepts connections.
        server._notifier?.Notify(ServiceState.Ready);
        return server;
    }

    /// <summary>Lowers max_connections, with a warning, when the file-descriptor limit cannot hold it.</summary>
    private static void FitConnectionsToDescriptors(ConnectionGate connections, LimitsConfig limits, TextWriter diagnostics)
    {
        if (DescriptorBudget.Measure() is not (long limit, int inUse))
        {
            return;
        }
        var fitting = DescriptorBudget.MaxConnections(limits.MaxConnections, limit, inUse, limits.MaxConcurrentRequests);
        if (fitting < limits.MaxConnections)
        {
            connections.Restrict(fitting);
            diagnostics.WriteLine(
                $"isoproxy: warning: limits.max_connections lowered from {limits.MaxConnections} to {fitting}: the file-descriptor limit is {limit} " +
                $"and {inUse} are in use (raise LimitNOFILE, or lower max_connections or max_concurrent_requests)");
        }
    }

    /// <summary>Stops gracefully: no new requests, in-flight ones get the grace period.</summary>
    public Task StopAsync() => _app.StopAsync();

    /// <summary>
    /// Loads the configuration again with <paramref name="load"/> (the same loader as at start-up,
    /// so every key source is read again) and, when it is valid, makes new requests use it. On any
    /// error nothing changes. Listener settings keep their running values and are reported.
    /// </summary>
    /// <param name="source">The file path, or <c>built-in</c>, for messages and events.</param>
    public async Task<ReloadResult> ReloadAsync(Func<ConfigLoadResult> load, string source)
    {
        ArgumentNullException.ThrowIfNull(load);
        await _reloadLock.WaitAsync();
        try
        {
            return Reload(load(), source);
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
        _runtime.Dispose();
        Metrics.Dispose();
        _shutdown.Dispose();
        _reloadLock.Dispose();
        if (Config.Listen.UnixSocketPath is string path && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private ReloadResult Reload(ConfigLoadResult result, string source)
    {
        var diagnostics = _options.Diagnostics;
        foreach (var warning in result.Warnings)
        {
            diagnostics.WriteLine($"isoproxy: reload: warning: {warning}");
        }
        if (!result.IsValid)
        {
            diagnostics.WriteLine($"isoproxy: reload: {source}: {result.Errors.Length} configuration error(s); the running configuration is kept:");
            foreach (var error in result.Errors)
            {
                diagnostics.WriteLine($"  - {error}");
            }
            Metrics.ConfigReloaded(succeeded: false);
            Events.ConfigReloadFailed(source, result.Errors);
            return new ReloadResult(false, result.Errors, []);
        }

        var running = Config;
        var restartRequired = RestartRequiredChanges.Find(running, result.Config!);
        var config = RestartRequiredChanges.KeepRunningListeners(running, result.Config!);
        ProxyRuntime next;
        try
        {
            next = new ProxyRuntime(config, _options.RequestLog);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            // A CA file changed between validation and use: as any other error, nothing changes.
            return Reload(new ConfigLoadResult(null, [$"{source}: {ex.Message}"], []), source);
        }
        _runtime.Replace(next);
        _concurrency.MaxConcurrent = config.Limits.MaxConcurrentRequests;
        Metrics.ConfigReloaded(succeeded: true);
        Metrics.ConfigLoaded(DateTimeOffset.UtcNow);
        foreach (var setting in restartRequired)
        {
            diagnostics.WriteLine($"isoproxy: reload: {setting} changed; it takes effect after a restart (the running value is kept)");
        }
        diagnostics.WriteLine($"isoproxy: reload: {source}: configuration reloaded; new requests use it");
        Events.ConfigReloaded(source, result.SourceSha256, config.Providers.Select(p => p.Name), restartRequired);
        return new ReloadResult(true, [], [.. restartRequired]);
    }

    private void OnStopping()
    {
        _notifier?.Notify(ServiceState.Stopping);
        _stopStarted = Environment.TickCount64;
        var grace = Config.Limits.ShutdownGrace;
        Events.ShutdownStarted(grace, _concurrency.InFlight);
        _shutdown.Begin(grace);
    }

    private void OnStopped() => Events.ShutdownFinished(TimeSpan.FromMilliseconds(Environment.TickCount64 - _stopStarted));

    /// <summary>The sockets systemd passed, checked; throws naming every problem when they cannot be served.</summary>
    private static IReadOnlyList<PassedSocket> FindPassedSockets(ListenConfig listen)
    {
        var (descriptors, problem) = SystemdSockets.Descriptors(
            Environment.GetEnvironmentVariable("LISTEN_PID"), Environment.GetEnvironmentVariable("LISTEN_FDS"), Environment.ProcessId);
        if (problem is not null)
        {
            throw new ProxyStartException(problem);
        }
        var (sockets, problems) = SystemdSockets.Inspect(descriptors, listen);
        if (problems.Count > 0)
        {
            throw new ProxyStartException(string.Join("; ", problems));
        }
        return sockets;
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ProxyConfig config, ConnectionAdmission admission, IReadOnlyList<PassedSocket> passedSockets)
    {
        // The proxy adds nothing of its own to responses.
        kestrel.AddServerHeader = false;
        kestrel.AllowSynchronousIO = false;

        var limits = kestrel.Limits;
        // max_request_bytes is enforced by BoundedRequestBodyStream alone, for every body size.
        limits.MaxRequestBodySize = null;
        limits.MaxRequestHeadersTotalSize = config.Limits.MaxRequestHeaderBytes;
        limits.MaxRequestHeaderCount = config.Limits.MaxRequestHeaders;
        limits.MaxRequestLineSize = 8 * 1024;
        // A slow-loris client is dropped: headers must arrive promptly, bodies at a minimum rate.
        limits.RequestHeadersTimeout = config.Limits.ClientHeaderTimeout;
        limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: config.Limits.ClientMinBodyBytesPerSecond, gracePeriod: TimeSpan.FromSeconds(5));
        limits.KeepAliveTimeout = config.Limits.ClientKeepAlive;

        if (config.Listen.Tcp is IPEndPoint endPoint)
        {
            kestrel.Listen(endPoint, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(admission.Admit);
            });
        }
        if (config.Listen.UnixSocketPath is string path)
        {
            kestrel.ListenUnixSocket(path, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (PeerPolicy.IsConfigured(config.Listen))
                {
                    // Who connected, read once per connection; refused peers are answered at accept.
                    listen.Use(PeerCredentials.Capture);
                }
                listen.Use(admission.Admit);
            });
        }
        foreach (var passed in passedSockets)
        {
            kestrel.ListenHandle((ulong)passed.FileDescriptor, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                // The same peer check as listen.unix; TCP has no peer credentials, as with listen.tcp.
                if (passed.IsUnix && PeerPolicy.IsConfigured(config.Listen))
                {
                    listen.Use(PeerCredentials.Capture);
                }
                listen.Use(admission.Admit);
            });
        }
    }

    internal static void ConfigureLogging(ILoggingBuilder logging, LogMode mode, TextWriter diagnostics)
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
