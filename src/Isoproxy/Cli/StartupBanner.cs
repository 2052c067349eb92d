using Isoproxy.Configuration;
using Isoproxy.Hosting;

namespace Isoproxy.Cli;

/// <summary>What <c>isoproxy serve</c> says on stderr once it listens.</summary>
public static class StartupBanner
{
    public static void Write(TextWriter diagnostics, ProxyServer server, string version)
    {
        var config = server.Config;
        var listeners = new List<string>();
        if (server.TcpEndPoint is not null)
        {
            listeners.Add($"http://{server.TcpEndPoint}");
        }
        if (server.UnixSocketPath is not null)
        {
            listeners.Add($"unix:{server.UnixSocketPath}");
        }
        listeners.AddRange(server.PassedSockets.Select(socket => $"{socket.Display} (from systemd)"));
        diagnostics.WriteLine($"isoproxy {version} listening on {string.Join(", ", listeners)}");
        if (config.Admin is { } admin)
        {
            var adminListeners = new List<string>();
            if (server.AdminTcpEndPoint is not null)
            {
                adminListeners.Add($"http://{server.AdminTcpEndPoint}");
            }
            if (admin.UnixSocketPath is not null)
            {
                adminListeners.Add($"unix:{admin.UnixSocketPath}");
            }
            diagnostics.WriteLine($"isoproxy: admin (/healthz, /readyz, /metrics) on {string.Join(", ", adminListeners)}");
        }
        foreach (var provider in config.Providers)
        {
            var isDefault = provider.Name == config.DefaultProvider ? " (default, also /v1/...)" : "";
            diagnostics.WriteLine($"isoproxy: provider {provider.Name}: /{provider.Name}/v1/... -> {provider.Endpoint}{isDefault}");
        }
        if (config.Logging.Mode == LogMode.Debug)
        {
            diagnostics.WriteLine("isoproxy: ******************************************************************");
            diagnostics.WriteLine("isoproxy: DEBUG LOGGING IS ON: request and response headers are logged");
            diagnostics.WriteLine("isoproxy: (credentials redacted). Do not use in production.");
            diagnostics.WriteLine("isoproxy: ******************************************************************");
        }
    }
}
