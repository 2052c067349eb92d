using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

public sealed class ProviderKeyFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode WorldReadable = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("sk-file-key\n")] // echo and editors end files with \n
    [InlineData("sk-file-key\r\n")] // Windows editors end them with \r\n
    [InlineData("sk-file-key")] // printf %s writes no newline
    public void Load_KeyFileWithOrWithoutTrailingNewline_KeyWithoutIt(string content)
    {
        var keyPath = _directory.WriteFile("key", content, OwnerOnly);

        var result = Load(keyPath);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        var provider = result.Config!.Providers.Single();
        Assert.Equal("sk-file-key", provider.Key.Reveal());
        Assert.Equal($"file:{keyPath}", provider.KeySource);
    }

    [Fact]
    public void Load_KeyFileMode0600_Accepted()
    {
        var keyPath = _directory.WriteFile("key", "sk-file-key\n", OwnerOnly);

        Assert.True(Load(keyPath).IsValid);
    }

    [Fact]
    public void Load_KeyFileMode0400_Accepted()
    {
        var keyPath = _directory.WriteFile("key", "sk-file-key\n", UnixFileMode.UserRead);

        Assert.True(Load(keyPath).IsValid);
    }

    [Fact]
    public void Load_KeyFile0600OwnedByAnotherUser_RejectedWithChownHint()
    {
        // The proxy is neither that user nor does root own the file: that user could swap the key.
        var keyPath = _directory.WriteFile("key", ConfigTestData.CanaryKey + "\n", OwnerOnly);
        const int otherUid = 65534;
        Assert.True(OpenFileStatus.EffectiveUserId() != otherUid, "the test needs to run as a uid other than 65534");
        File.SetUnixFileMode(keyPath, OwnerOnly);
        Chown(keyPath, otherUid);

        var result = Load(keyPath);

        var error = Assert.Single(result.Errors);
        Assert.Contains(
            $"providers.anthropic.api_key_file: key file {keyPath} is owned by uid {otherUid}, neither the proxy's own user (uid {OpenFileStatus.EffectiveUserId()}) nor root",
            error,
            StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigTestData.CanaryKey, error, StringComparison.Ordinal);
    }

    private static void Chown(string path, int uid) => Run("chown", uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path);

    private static void Run(string file, params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file) { UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public void Load_KeyFileMode0644_RejectedWithChmodHint()
    {
        var keyPath = _directory.WriteFile("key", ConfigTestData.CanaryKey + "\n", WorldReadable);

        var result = Load(keyPath);

        var error = Assert.Single(result.Errors);
        Assert.Contains(
            $"providers.anthropic.api_key_file: key file {keyPath} is readable by group or others (mode 0644); run: chmod 600 {keyPath}",
            error,
            StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigTestData.CanaryKey, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyFileGroupWritable_Rejected()
    {
        var keyPath = _directory.WriteFile("key", "sk-file-key\n", OwnerOnly | UnixFileMode.GroupWrite);

        var error = Assert.Single(Load(keyPath).Errors);

        Assert.Contains("(mode 0620); run: chmod 600", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")] // nothing at all
    [InlineData("\n")] // only the newline that is trimmed
    public void Load_KeyFileEmpty_Rejected(string content)
    {
        var keyPath = _directory.WriteFile("key", content, OwnerOnly);

        var error = Assert.Single(Load(keyPath).Errors);

        Assert.Contains($"key file {keyPath} is empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_KeyFileWithSeveralLines_RejectedWithoutEchoingIt()
    {
        var keyPath = _directory.WriteFile("key", ConfigTestData.CanaryKey + "\nsecond line\n", OwnerOnly);

        var error = Assert.Single(Load(keyPath).Errors);

        Assert.Contains("whitespace or control characters", error, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigTestData.CanaryKey, error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFile_RelativeKeyFile_ResolvedAgainstConfigDirectory()
    {
        var keyPath = _directory.WriteFile("anthropic.key", "sk-file-key\n", OwnerOnly);
        var configPath = _directory.WriteFile("isoproxy.yaml", Yaml("anthropic.key"), OwnerOnly);

        var result = ConfigLoader.LoadFile(configPath, ConfigTestData.StandardGetEnvironmentVariable);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        Assert.Equal($"file:{keyPath}", result.Config!.Providers.Single().KeySource);
    }

    private static ConfigLoadResult Load(string keyPath) =>
        ConfigLoader.LoadYaml(Yaml(keyPath), "inline.yaml", ConfigTestData.StandardGetEnvironmentVariable);

    private static string Yaml(string keyPath) => $"""
        providers:
          anthropic:
            endpoint: https://api.anthropic.com
            api_key_file: "{keyPath}"
        """;
}
