using System.CommandLine;
using System.Reflection;
using Isoproxy.Configuration;
using Isoproxy.Hosting;

namespace Isoproxy.Cli;

/// <summary>The <c>isoproxy</c> command line: <c>serve</c> and <c>check</c>.</summary>
public static class IsoproxyCli
{
    public static async Task<int> RunAsync(string[] args, ProxyServerOptions output, Func<string, string?> getEnvironmentVariable)
    {
        var configOption = new Option<string?>("--config")
        {
            Description = $"Configuration file (YAML). Default: ${ConfigSource.EnvironmentVariable}, else the built-in default (provider anthropic, key from $ANTHROPIC_API_KEY, 127.0.0.1:9000).",
            HelpName = "PATH",
        };

        var serve = new Command("serve", "Run the proxy until SIGINT or SIGTERM.") { configOption };
        serve.SetAction((parse, _) => ServeAsync(parse.GetValue(configOption), output, getEnvironmentVariable));

        var check = new Command("check", "Validate the configuration and print it with secrets redacted; exit 0 when valid, 1 when not.") { configOption };
        check.SetAction(parse => Check(parse.GetValue(configOption), output, getEnvironmentVariable));

        var root = new RootCommand("isoproxy: a safe pass-through proxy for Anthropic-compatible APIs.") { serve, check };
        root.SetAction(parse =>
        {
            output.Diagnostics.WriteLine("isoproxy: a command is required: serve or check (see isoproxy --help)");
            return ExitCodes.Usage;
        });

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
            {
                output.Diagnostics.WriteLine($"isoproxy: {error.Message}");
            }
            output.Diagnostics.WriteLine("see isoproxy --help");
            return ExitCodes.Usage;
        }

        var invocation = new InvocationConfiguration
        {
            Output = output.RequestLog,
            Error = output.Diagnostics,
            // The host handles SIGINT/SIGTERM itself, with the configured grace period.
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(invocation);
    }

    public static string Version =>
        typeof(IsoproxyCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static int Check(string? configPath, ProxyServerOptions output, Func<string, string?> getEnvironmentVariable)
    {
        var (result, source) = ConfigSource.Load(configPath, getEnvironmentVariable);
        if (!ReportProblems(result, source, output.Diagnostics))
        {
            return ExitCodes.InvalidConfiguration;
        }
        output.RequestLog.Write(EffectiveConfigWriter.Render(result.Config!).TrimEnd('\n') + "\n");
        output.Diagnostics.WriteLine($"isoproxy: {source}: configuration is valid");
        return ExitCodes.Success;
    }

    private static async Task<int> ServeAsync(string? configPath, ProxyServerOptions output, Func<string, string?> getEnvironmentVariable)
    {
        var (result, source) = ConfigSource.Load(configPath, getEnvironmentVariable);
        if (!ReportProblems(result, source, output.Diagnostics))
        {
            return ExitCodes.InvalidConfiguration;
        }
        var config = result.Config!;

        ProxyServer server;
        try
        {
            server = await ProxyServer.StartAsync(config, output);
        }
        catch (ProxyStartException ex)
        {
            output.Diagnostics.WriteLine($"isoproxy: {ex.Message}");
            return ExitCodes.StartFailed;
        }

        await using (server)
        {
            StartupBanner.Write(output.Diagnostics, server, Version);
            await server.Completion;
        }
        output.Diagnostics.WriteLine("isoproxy: stopped");
        return ExitCodes.Success;
    }

    /// <summary>Prints every error and warning; false when the configuration cannot be used.</summary>
    private static bool ReportProblems(ConfigLoadResult result, string source, TextWriter diagnostics)
    {
        foreach (var warning in result.Warnings)
        {
            diagnostics.WriteLine($"isoproxy: warning: {warning}");
        }
        if (result.IsValid)
        {
            return true;
        }
        diagnostics.WriteLine($"isoproxy: {source}: {result.Errors.Length} configuration error(s); not starting:");
        foreach (var error in result.Errors)
        {
            diagnostics.WriteLine($"  - {error}");
        }
        return false;
    }
}
