using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary><c>api_key_credential: NAME</c>: the key from systemd's <c>$CREDENTIALS_DIRECTORY/NAME</c>.</summary>
public sealed class ProviderCredentialTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const string Yaml = """
        providers:
          anthropic:
            endpoint: https://api.anthropic.com
            api_key_credential: anthropic-key
        """;

    [Fact]
    public void Credential_InCredentialsDirectory_IsTheKey()
    {
        using var credentials = new TempDirectory();
        credentials.WriteFile("anthropic-key", "sk-from-credential-store\n", OwnerOnly);

        var result = ConfigLoader.LoadYaml(Yaml, "test.yaml", Environment(credentials.Path));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var provider = Assert.Single(result.Config!.Providers);
        Assert.Equal("sk-from-credential-store", provider.Key.Reveal());
        Assert.Equal("credential:anthropic-key", provider.KeySource);
        var rendered = EffectiveConfigWriter.Render(result.Config);
        Assert.Contains("api_key: \"[redacted]\"  # from systemd credential anthropic-key\n", rendered, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-from-credential-store", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_WithoutCredentialsDirectory_IsAStartupErrorNamingTheVariable()
    {
        var result = ConfigLoader.LoadYaml(Yaml, "test.yaml", _ => null);

        var error = Assert.Single(result.Errors);
        Assert.Contains("providers.anthropic.api_key_credential: CREDENTIALS_DIRECTORY is not set", error, StringComparison.Ordinal);
        Assert.Contains("LoadCredential=anthropic-key:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_Missing_NamesThePath()
    {
        using var credentials = new TempDirectory();

        var result = ConfigLoader.LoadYaml(Yaml, "test.yaml", Environment(credentials.Path));

        var error = Assert.Single(result.Errors);
        Assert.Contains($"key file {Path.Combine(credentials.Path, "anthropic-key")} does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_ReadableByOthers_IsRefusedLikeAKeyFile()
    {
        using var credentials = new TempDirectory();
        credentials.WriteFile("anthropic-key", "sk-from-credential-store\n", OwnerOnly | UnixFileMode.OtherRead);

        var result = ConfigLoader.LoadYaml(Yaml, "test.yaml", Environment(credentials.Path));

        var error = Assert.Single(result.Errors);
        Assert.Contains("is readable by group or others", error, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-from-credential-store", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Credential_TogetherWithKeyFile_IsRefused()
    {
        using var credentials = new TempDirectory();
        credentials.WriteFile("anthropic-key", "sk-x\n", OwnerOnly);
        var yaml = Yaml + $"\n    api_key_file: {Path.Combine(credentials.Path, "anthropic-key")}\n";

        var result = ConfigLoader.LoadYaml(yaml, "test.yaml", Environment(credentials.Path));

        var error = Assert.Single(result.Errors);
        Assert.Contains("set exactly one of api_key_env, api_key_file and api_key_credential", error, StringComparison.Ordinal);
    }

    [Fact]
    public void CredentialsDirectory_Relative_IsRefused()
    {
        var result = ConfigLoader.LoadYaml(Yaml, "test.yaml", Environment("credentials"));

        Assert.Contains("CREDENTIALS_DIRECTORY is not an absolute path", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    private static Func<string, string?> Environment(string directory) =>
        name => name == "CREDENTIALS_DIRECTORY" ? directory : null;
}
