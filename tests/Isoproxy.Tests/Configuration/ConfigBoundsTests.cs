using Isoproxy.Configuration;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary>A configuration file cannot crash or exhaust the loader: size and nesting are bounded.</summary>
public sealed class ConfigBoundsTests
{
    private const string OneProvider = """
        providers:
          anthropic:
            endpoint: https://api.anthropic.com
            api_key_env: ANTHROPIC_API_KEY

        """;

    private static string Nested(int depth) => "providers: " + new string('[', depth - 1) + new string(']', depth - 1) + "\n";

    [Fact]
    public void LoadFile_LargerThanOneMebibyte_RefusedNamingTheLimit()
    {
        using var directory = new TempDirectory();
        var path = directory.WriteFile("big.yaml", OneProvider + "# " + new string('x', ConfigLoader.MaxFileBytes) + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = ConfigLoader.LoadFile(path, ConfigTestData.StandardGetEnvironmentVariable);

        Assert.False(result.IsValid);
        Assert.Equal($"{path}: configuration file is larger than 1048576 bytes (1 MiB), the limit; a configuration is a few kilobytes", Assert.Single(result.Errors));
    }

    [Fact]
    public void LoadFile_JustUnderTheSizeLimit_Loads()
    {
        using var directory = new TempDirectory();
        var padding = "# " + new string('x', ConfigLoader.MaxFileBytes - OneProvider.Length - 3) + "\n";
        var path = directory.WriteFile("padded.yaml", OneProvider + padding, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var result = ConfigLoader.LoadFile(path, ConfigTestData.StandardGetEnvironmentVariable);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
    }

    [Fact]
    public void LoadYaml_NestedToTheLimit_ReadsAndNestedPastIt_RefusedNamingTheLimit()
    {
        // The root mapping is level 1, so "providers: [[...]]" with 63 brackets reaches level 64.
        var atLimit = ConfigLoader.LoadYaml(Nested(64), "deep.yaml", ConfigTestData.StandardGetEnvironmentVariable);
        var pastLimit = ConfigLoader.LoadYaml(Nested(65), "deep.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.DoesNotContain(atLimit.Errors, e => e.Contains("nest deeper", StringComparison.Ordinal));
        var error = Assert.Single(pastLimit.Errors);
        Assert.Contains("lists and mappings nest deeper than 64 levels, the limit", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("serve")]
    public async Task RealExecutable_SixtyThousandLevels_ExitsOneNamingTheLimit(string command)
    {
        var ct = TestContext.Current.CancellationToken;
        using var directory = new TempDirectory();
        var path = directory.WriteFile("deep.yaml", "providers: " + new string('[', 60_000) + new string(']', 60_000) + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await using var proxy = IsoproxyProcess.Start(new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = ConfigTestData.CanaryKey }, command, "--config", path);

        var exit = await proxy.WaitForExitAsync(ct);

        Assert.True(exit == 1, $"exit {exit}: {proxy.Stderr}");
        Assert.Contains("nest deeper than 64 levels, the limit", proxy.Stderr, StringComparison.Ordinal);
    }
}
