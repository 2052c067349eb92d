using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Isoproxy.Configuration;
using Isoproxy.Hosting;

namespace Isoproxy.Cli;

/// <summary>The <c>isoproxy</c> command line: <c>serve</c>, <c>check</c> and <c>probe</c>.</summary>
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

        var providerOption = new Option<string?>("--provider")
        {
            Description = "Probe only this provider (default: every configured provider).",
            HelpName = "NAME",
        };
        var probe = new Command("probe", "Check each provider as a request would (address policy, connect, TLS, key) with GET /v1/models?limit=1; exit 0 when all are ok, 4 when not.")
        {
            configOption,
            providerOption,
        };
        probe.SetAction((parse, cancellationToken) =>
            ProbeAsync(parse.GetValue(configOption), parse.GetValue(providerOption), output, getEnvironmentVariable, cancellationToken));

        var root = new RootCommand("isoproxy: a safe pass-through proxy for Anthropic-compatible APIs.") { serve, check, probe };
        root.SetAction(parse =>
        {
            output.Diagnostics.WriteLine("isoproxy: a command is required: serve, check or probe (see isoproxy --help)");
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
            server = await ProxyServer.StartAsync(config, output with { Version = Version });
        }
        catch (ProxyStartException ex)
        {
            output.Diagnostics.WriteLine($"isoproxy: {ex.Message}");
            return ExitCodes.StartFailed;
        }

        await using (server)
        {
            StartupBanner.Write(output.Diagnostics, server, Version);
            var eventSource = ConfigSource.PathOf(configPath, getEnvironmentVariable) ?? ConfigSource.BuiltIn;
            server.Events.ConfigLoaded(eventSource, result.SourceSha256, config.Providers.Select(p => p.Name));
            // SIGHUP: run the same loader again; the reload reports its own result.
            using var reloadSignal = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
            {
                signal.Cancel = true;
                _ = server.ReloadAsync(() => ConfigSource.Load(configPath, getEnvironmentVariable).Result, eventSource);
            });
            await server.Completion;
        }
        output.Diagnostics.WriteLine("isoproxy: stopped");
        return ExitCodes.Success;
    }

    private static async Task<int> ProbeAsync(string? configPath, string? providerName, ProxyServerOptions output,
        Func<string, string?> getEnvironmentVariable, CancellationToken cancellationToken)
    {
        var (result, source) = ConfigSource.Load(configPath, getEnvironmentVariable);
        if (!ReportProblems(result, source, output.Diagnostics))
        {
            return ExitCodes.InvalidConfiguration;
        }
        var config = result.Config!;
        var providers = providerName is null ? [.. config.Providers] : config.Providers.Where(p => p.Name == providerName).ToList();
        if (providers.Count == 0)
        {
            output.Diagnostics.WriteLine($"isoproxy: probe: no provider named \"{providerName}\" in {source}");
            return ExitCodes.Usage;
        }
        var allOk = true;
        foreach (var provider in providers)
        {
            var probe = await ProviderProbe.RunAsync(provider, config.Limits, cancellationToken);
            allOk &= probe.Ok;
            output.RequestLog.WriteLine($"{provider.Name}: {probe.Text}");
        }
        return allOk ? ExitCodes.Success : ExitCodes.ProbeFailed;
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
