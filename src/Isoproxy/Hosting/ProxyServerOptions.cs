using System.Reflection;

namespace Isoproxy.Hosting;

/// <summary>Where a <see cref="ProxyServer"/> writes; tests capture both.</summary>
/// <param name="RequestLog">The per-request JSON lines (stdout for the command).</param>
/// <param name="Diagnostics">Human-readable start-up and framework messages (stderr for the command).</param>
/// <param name="NotifyServiceManager">
/// Whether to tell a service manager (NOTIFY_SOCKET) when the proxy is ready and when it stops:
/// the command does; a proxy embedded in another process (tests) must not speak for that process.
/// </param>
public sealed record ProxyServerOptions(TextWriter RequestLog, TextWriter Diagnostics, bool NotifyServiceManager = false)
{
    /// <summary>The <c>version</c> label of <c>isoproxy_build_info</c>.</summary>
    public string Version { get; init; } =
        typeof(ProxyServerOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static ProxyServerOptions Console { get; } = new(System.Console.Out, System.Console.Error, NotifyServiceManager: true);
}
