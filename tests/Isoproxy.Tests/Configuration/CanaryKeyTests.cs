using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary>A key must never reach an error, a warning or the rendered configuration.</summary>
public sealed class CanaryKeyTests
{
    /// <summary>Every testdata file, loaded with an environment in which every variable holds a canary.</summary>
    public static TheoryData<string> AllFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var folder in new[] { "valid", "invalid" })
            {
                foreach (var file in ConfigTestData.Files(folder))
                {
                    data.Add(file.Data);
                }
            }
            data.Add("multiple-problems.yaml");
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AllFiles))]
    public void LoadFile_AnyFile_NoKeyInErrorsWarningsOrRendering(string file)
    {
        ConfigTestData.SecureKeyFiles();

        var result = ConfigTestData.LoadFile(file);

        var texts = result.Errors.Concat(result.Warnings).ToList();
        if (result.Config is not null)
        {
            texts.Add(EffectiveConfigWriter.Render(result.Config));
        }
        foreach (var text in texts)
        {
            Assert.DoesNotContain(ConfigTestData.CanaryKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ConfigTestData.OpenRouterCanaryKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-testdata-openrouter-0000", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_SeedExample_KeysRedactedWithTheirSource()
    {
        var config = ConfigTestData.LoadFile("valid/seed-example.yaml").Config!;

        var yaml = EffectiveConfigWriter.Render(config);

        Assert.Contains("api_key: \"[redacted]\"  # from env ANTHROPIC_API_KEY", yaml, StringComparison.Ordinal);
        Assert.Contains("api_key: \"[redacted]\"  # from env OPENROUTER_API_KEY", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigTestData.CanaryKey, yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigTestData.OpenRouterCanaryKey, yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void ApiKey_ToStringAndInterpolation_Redacted()
    {
        var config = ConfigTestData.LoadFile("valid/seed-example.yaml").Config!;

        var text = $"{config.Providers[0]}";

        Assert.Contains("[redacted]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfigTestData.CanaryKey, text, StringComparison.Ordinal);
    }
}
