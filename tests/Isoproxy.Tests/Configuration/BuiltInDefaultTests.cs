using System.Net;
using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

public sealed class BuiltInDefaultTests
{
    [Fact]
    public void BuiltInDefault_KeySet_AnthropicOnLoopbackWithDefaults()
    {
        var result = ConfigLoader.BuiltInDefault(ConfigTestData.StandardGetEnvironmentVariable);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        Assert.Empty(result.Warnings);
        var config = result.Config!;
        Assert.Equal("anthropic", config.DefaultProvider);
        var provider = Assert.Single(config.Providers);
        Assert.Equal("anthropic", provider.Name);
        Assert.Equal("https://api.anthropic.com", provider.Endpoint.OriginalString);
        Assert.Equal(ConfigTestData.CanaryKey, provider.Key.Reveal());
        Assert.Equal("env:ANTHROPIC_API_KEY", provider.KeySource);
        Assert.Equal(UpstreamAuth.XApiKey, provider.Auth);
        Assert.Equal(HttpVersion.Version11, provider.HttpVersion);
        Assert.Null(provider.CaFile);
        Assert.Empty(provider.Resolve);
        Assert.False(provider.UnsafeAllowPrivateAddresses);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9000), config.Listen.Tcp);
        Assert.Null(config.Listen.UnixSocketPath);
        Assert.False(config.Listen.UnsafeAllowNonLoopback);
        Assert.Equal(LimitsConfig.Defaults, config.Limits);
        Assert.Equal(LogMode.Metadata, config.Logging.Mode);
        Assert.Empty(config.Clients);
    }

    [Theory]
    [InlineData(null)] // not exported
    [InlineData("")] // exported but empty
    public void BuiltInDefault_KeyMissing_ErrorNamesVariableAndAlternatives(string? value)
    {
        var environment = new Dictionary<string, string>();
        if (value is not null)
        {
            environment["ANTHROPIC_API_KEY"] = value;
        }

        var result = ConfigLoader.BuiltInDefault(ConfigTestData.Environment(environment));

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Contains("ANTHROPIC_API_KEY is not set", error, StringComparison.Ordinal);
        Assert.Contains("--config PATH", error, StringComparison.Ordinal);
        Assert.Contains("ISOPROXY_CONFIG", error, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltInDefault_Rendered_EqualsMinimalFileRendered()
    {
        // The built-in default is exactly a one-provider file with every other key left out.
        var builtIn = ConfigLoader.BuiltInDefault(ConfigTestData.StandardGetEnvironmentVariable);
        var minimal = ConfigTestData.LoadFile("valid/minimal.yaml");

        Assert.Equal(EffectiveConfigWriter.Render(minimal.Config!), EffectiveConfigWriter.Render(builtIn.Config!));
    }
}
