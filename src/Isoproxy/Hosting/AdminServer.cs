using System.Net;
using Isoproxy.Configuration;
using Isoproxy.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Isoproxy.Hosting;

/// <summary>
/// The operator's listener: <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>, on its own Kestrel
/// instance apart from the agent-facing listeners. It never forwards anything, and it ignores
/// shutdown signals so that it keeps answering (503 on <c>/readyz</c>) until the drain is over.
/// </summary>
internal sealed class AdminServer : IAsyncDisposable
{
    public const string MetricsPath = "/metrics";

    private static readonly byte[] AliveBody = "{\"status\":\"ok\"}"u8.ToArray();
    private static readonly byte[] ReadyBody = "{\"status\":\"ready\"}"u8.ToArray();
    private static readonly byte[] StartingBody = "{\"status\":\"starting\"}"u8.ToArray();
    private static readonly byte[] DrainingBody = "{\"status\":\"draining\"}"u8.ToArray();
    private static readonly byte[] NotFoundBody =
        "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"isoproxy: the admin listener serves /healthz, /readyz and /metrics only\"}}"u8.ToArray();

    private readonly WebApplication _app;
    private readonly AdminConfig _config;

    private AdminServer(WebApplication app, AdminConfig config)
    {
        _app = app;
        _config = config;
    }

    /// <summary>The bound TCP endpoint (the real port when the configuration asked for port 0), or null.</summary>
    public IPEndPoint? TcpEndPoint { get; private set; }

    public string? UnixSocketPath => _config.UnixSocketPath;

    /// <param name="readiness">Asked at each <c>/readyz</c>: starting, ready or draining.</param>
    public static async Task<AdminServer> StartAsync(
        AdminConfig config, ProxyMetrics metrics, Func<Readiness> readiness, LogMode logMode, TextWriter diagnostics, CancellationToken cancellationToken)
    {
        if (config.UnixSocketPath is string socketPath && UnixSocketFile.PrepareForBind(socketPath) is string problem)
        {
            throw new ProxyStartException($"admin: {problem}");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = "isoproxy-admin" });
        ProxyServer.ConfigureLogging(builder.Logging, logMode, diagnostics);
        builder.Services.AddSingleton<IHostLifetime, NoSignalHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 0;
            if (config.Tcp is IPEndPoint endPoint)
            {
                kestrel.Listen(endPoint, listen => listen.Protocols = HttpProtocols.Http1);
            }
            if (config.UnixSocketPath is string path)
            {
                kestrel.ListenUnixSocket(path, listen => listen.Protocols = HttpProtocols.Http1);
            }
        });
        builder.Services.AddOpenTelemetry().WithMetrics(meters => meters
            .AddMeter(metrics.MeterName)
            // The runtime's own meter: CPU time, memory, GC, thread pool.
            .AddMeter("System.Runtime")
            .AddPrometheusExporter(prometheus =>
            {
                // Every scrape sees the counts as they are now.
                prometheus.ScrapeResponseCacheDurationMilliseconds = 0;
                // Series carry only the labels documented for them.
                prometheus.ScopeInfoEnabled = false;
                prometheus.TargetInfoEnabled = false;
            }));

        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(context =>
            context.Request.Path == MetricsPath && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)));
        app.Run(context => AnswerAsync(context, readiness));

        var server = new AdminServer(app, config);
        try
        {
            if (config.UnixSocketPath is string path)
            {
                await UnixSocketFile.BindWithModeAsync(config.UnixSocketMode, () => app.StartAsync(cancellationToken));
                File.SetUnixFileMode(path, config.UnixSocketMode);
            }
            else
            {
                await app.StartAsync(cancellationToken);
            }
        }
        catch (IOException ex)
        {
            await server.DisposeAsync();
            throw new ProxyStartException($"admin: cannot listen: {ex.Message}");
        }
        server.TcpEndPoint = FindTcpEndPoint(app, config);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_config.UnixSocketPath is string path && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static Task AnswerAsync(HttpContext context, Func<Readiness> readiness)
    {
        var request = context.Request;
        var isRead = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        return (isRead ? request.Path.Value : null) switch
        {
            "/healthz" => WriteAsync(context, StatusCodes.Status200OK, AliveBody),
            "/readyz" => readiness() switch
            {
                Readiness.Ready => WriteAsync(context, StatusCodes.Status200OK, ReadyBody),
                Readiness.Draining => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, DrainingBody),
                _ => WriteAsync(context, StatusCodes.Status503ServiceUnavailable, StartingBody),
            },
            _ => WriteAsync(context, StatusCodes.Status404NotFound, NotFoundBody),
        };
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        context.Response.Headers.CacheControl = "no-store";
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static IPEndPoint? FindTcpEndPoint(WebApplication app, AdminConfig config)
    {
        if (config.Tcp is null)
        {
            return null;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            if (!address.StartsWith("http://unix:", StringComparison.Ordinal))
            {
                return new IPEndPoint(config.Tcp.Address, new Uri(address).Port);
            }
        }
        return config.Tcp;
    }
}
