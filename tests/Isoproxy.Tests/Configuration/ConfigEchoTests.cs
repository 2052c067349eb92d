using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary>Which configuration texts an error message may repeat: names yes, anything key-like no.</summary>
public sealed class ConfigEchoTests
{
    [Theory]
    // Names: shown, so the user sees the typo.
    [InlineData("anthropic", true)]
    [InlineData("open-router-2", true)]
    [InlineData("ANTHROPIC_API_KEY", true)]
    [InlineData("OPENAI_API_KEY2", true)]
    [InlineData("max_request_byte", true)]
    [InlineData("sandbox-1", true)]
    [InlineData("claude.code", true)]
    [InlineData("Anthropic", true)]
    [InlineData("MY_KEY_2024", true)]
    // Key-shaped: never shown.
    [InlineData("sk-ant-api03-AbCdEf0123456789", false)]
    [InlineData("sk-canary-CONFIG-1234567890", false)]
    [InlineData("AIzaSyD0123456789abcdefghij", false)]
    [InlineData("sk-or-v1-0123456789abcdef0123456789abcdef", false)]
    [InlineData("0123456789abcdef0123456789abcdef", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyzabcdefghijklmnop", false)]
    [InlineData("key with spaces", false)]
    [InlineData("", false)]
    public void IsSafe_NameShapedOnly(string text, bool safe)
    {
        Assert.Equal(safe, ConfigEcho.IsSafe(text));
    }

    // Split so the source holds nothing shaped like a real key; the value is the same.
    private const string Secret = "sk-ant-api03-" + "PastedKey0123456789abcdef";

    [Theory]
    [InlineData("default_provider: {0}\n" + Providers, "default_provider: names provider (value not shown: it may be a secret), which is not configured under providers")]
    [InlineData(Providers + "clients:\n  - name: c\n    token_sha256: " + Hash + "\n    providers: [{0}]\n", "clients[0].providers[0]: provider (value not shown: it may be a secret) is not configured under providers")]
    [InlineData(Providers + "{0}: true\n", "(key not shown): unknown key")]
    [InlineData("providers:\n  anthropic:\n    endpoint: https://api.anthropic.com\n    api_key_file: {0}\n", "providers.anthropic.api_key_file: names no existing file (value not shown")]
    [InlineData("providers:\n  {0}:\n    endpoint: https://api.anthropic.com\n    api_key_env: ANTHROPIC_API_KEY\n", "providers.(key not shown): provider name must match")]
    public void SecretInTheWrongField_NeverEchoed(string template, string expected)
    {
        var yaml = template.Replace("{0}", Secret, StringComparison.Ordinal);

        var result = ConfigLoader.LoadYaml(yaml, "c.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors.Concat(result.Warnings), e => e.Contains("PastedKey", StringComparison.Ordinal));
    }

    [Fact]
    public void SecretAsEnvironmentVariableName_NeverEchoed()
    {
        const string keyShapedName = "AIzaSyD0123456789abcdefghijKLMN";
        var yaml = $"providers:\n  anthropic:\n    endpoint: https://api.anthropic.com\n    api_key_env: {keyShapedName}\n";

        var result = ConfigLoader.LoadYaml(yaml, "c.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.Contains("providers.anthropic.api_key_env: the environment variable named here is not set or empty", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    private const string Providers = "providers:\n  anthropic:\n    endpoint: https://api.anthropic.com\n    api_key_env: ANTHROPIC_API_KEY\n";
    private const string Hash = "0000000000000000000000000000000000000000000000000000000000000000";
}
