using Isoproxy.Configuration;
using Isoproxy.Tests.RealClients;
using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary>The documentation's tables are the configuration tables' own rows, so neither can drift.</summary>
public sealed class ConfigDocumentationTests
{
    [Fact]
    public void LimitsTable_EveryField_HasItsRowInTheDocumentation()
    {
        var documentation = File.ReadAllText(Path.Combine(ClientPaths.RepositoryRoot, "docs", "configuration.md")).ReplaceLineEndings("\n");

        Assert.All(LimitsFields.All, field => Assert.Contains("\n" + field.DocumentationRow(LimitsConfig.Defaults) + "\n", documentation, StringComparison.Ordinal));
    }

    [Fact]
    public void LimitsTable_Defaults_AreTheTablesDefaults()
    {
        var rendered = EffectiveConfigWriter.Render(BuiltInConfig.Create(_ => "sk-test-key").Config!);

        Assert.All(LimitsFields.All, field => Assert.Contains($"\n  {field.Key}: {field.Print(LimitsConfig.Defaults)}\n", rendered, StringComparison.Ordinal));
    }
}
