namespace Isoproxy.Hosting;

/// <summary>Where a <see cref="ProxyServer"/> writes; tests capture both.</summary>
/// <param name="RequestLog">The per-request JSON lines (stdout for the command).</param>
/// <param name="Diagnostics">Human-readable start-up and framework messages (stderr for the command).</param>
public sealed record ProxyServerOptions(TextWriter RequestLog, TextWriter Diagnostics)
{
    public static ProxyServerOptions Console { get; } = new(System.Console.Out, System.Console.Error);
}
