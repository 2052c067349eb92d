using Isoproxy.Cli;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Cli;

/// <summary>The command line, run in-process with captured stdout/stderr and a fake environment.</summary>
public sealed class IsoproxyCliTests
{
    private const string CanaryKey = "canary-cli-key-5d1e2b";

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, Dictionary<string, string>? environment = null)
    {
        var output = new CapturedOutput();
        var exit = await IsoproxyCli.RunAsync(args, output.Options, name => environment is not null && environment.TryGetValue(name, out var v) ? v : null);
        return (exit, output.RequestLogText, output.DiagnosticsText);
    }

    private static string WriteConfig(string yaml)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("isoproxy-cli-").FullName, "isoproxy.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private const string ValidYaml = """
        providers:
          anthropic:
            endpoint: https://api.anthropic.com
            api_key_env: ANTHROPIC_API_KEY
        """;

    [Fact]
    public async Task Version_PrintsVersionAndSucceeds()
    {
        var (exit, stdout, _) = await RunAsync(["--version"]);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal(IsoproxyCli.Version, stdout.Trim());
    }

    [Fact]
    public async Task Help_ListsBothCommands()
    {
        var (exit, stdout, _) = await RunAsync(["--help"]);

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("serve", stdout, StringComparison.Ordinal);
        Assert.Contains("check", stdout, StringComparison.Ordinal);
    }

    [Theory]
    // No command at all.
    [InlineData("")]
    // Unknown command and unknown option.
    [InlineData("frobnicate")]
    [InlineData("check --no-such-option")]
    public async Task BadCommandLine_ExitsWithUsageCode(string commandLine)
    {
        var (exit, _, stderr) = await RunAsync(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task Check_ValidConfig_PrintsEffectiveConfigRedacted()
    {
        var path = WriteConfig(ValidYaml);

        var (exit, stdout, stderr) = await RunAsync(["check", "--config", path], new() { ["ANTHROPIC_API_KEY"] = CanaryKey });

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("endpoint: \"https://api.anthropic.com\"", stdout, StringComparison.Ordinal);
        Assert.Contains("[redacted]", stdout, StringComparison.Ordinal);
        Assert.Contains("max_request_bytes", stdout, StringComparison.Ordinal);
        Assert.Contains("configuration is valid", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_InvalidConfig_ListsEveryProblemAndFails()
    {
        var path = WriteConfig("""
            providers:
              anthropic:
                endpoint: http://api.anthropic.com
                api_key_env: ANTHROPIC_API_KEY
            limits:
              max_request_bytes: lots
            surprise: true
            """);

        var (exit, stdout, stderr) = await RunAsync(["check", "--config", path], new() { ["ANTHROPIC_API_KEY"] = CanaryKey });

        Assert.Equal(ExitCodes.InvalidConfiguration, exit);
        Assert.Empty(stdout);
        Assert.Contains("3 configuration error(s)", stderr, StringComparison.Ordinal);
        Assert.Contains("providers.anthropic.endpoint", stderr, StringComparison.Ordinal);
        Assert.Contains("limits.max_request_bytes", stderr, StringComparison.Ordinal);
        Assert.Contains("surprise", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("serve")]
    public async Task BuiltInDefault_WithoutKey_RefusesAndNamesTheVariable(string command)
    {
        var (exit, _, stderr) = await RunAsync([command]);

        Assert.Equal(ExitCodes.InvalidConfiguration, exit);
        Assert.Contains("ANTHROPIC_API_KEY", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BuiltInDefault_WithKey_ServesAnthropicOnLoopback9000()
    {
        var (exit, stdout, _) = await RunAsync(["check"], new() { ["ANTHROPIC_API_KEY"] = CanaryKey });

        Assert.Equal(ExitCodes.Success, exit);
        Assert.Contains("127.0.0.1:9000", stdout, StringComparison.Ordinal);
        Assert.Contains("https://api.anthropic.com", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigFromEnvironment_UsedWithoutOption_OptionWins()
    {
        var fromEnvironment = WriteConfig(ValidYaml.Replace("https://api.anthropic.com", "https://env.example", StringComparison.Ordinal));
        var fromOption = WriteConfig(ValidYaml.Replace("https://api.anthropic.com", "https://option.example", StringComparison.Ordinal));
        var environment = new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = CanaryKey, ["ISOPROXY_CONFIG"] = fromEnvironment };

        var (_, viaEnvironment, _) = await RunAsync(["check"], environment);
        var (_, viaOption, _) = await RunAsync(["check", "--config", fromOption], environment);

        Assert.Contains("https://env.example", viaEnvironment, StringComparison.Ordinal);
        Assert.Contains("https://option.example", viaOption, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_InvalidConfig_NeverStarts()
    {
        var path = WriteConfig("providers: {}\n");

        var (exit, _, stderr) = await RunAsync(["serve", "--config", path]);

        Assert.Equal(ExitCodes.InvalidConfiguration, exit);
        Assert.Contains("not starting", stderr, StringComparison.Ordinal);
    }
}
