using Isoproxy.Configuration;
using Isoproxy.Tests.RealClients;
using Xunit;

namespace Isoproxy.Tests.Configuration;

/// <summary>
/// Every section is a table of fields: the documentation's tables are the rows' own text, the
/// effective configuration prints each row's line, and the parser reads every row's key, so
/// none of them can drift from the table.
/// </summary>
public sealed class ConfigDocumentationTests
{
    private const string TokenHash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    /// <summary>A configuration that sets every section, so that each one prints its lines.</summary>
    private const string SampleYaml = """
        listen:
          unix: /run/isoproxy/isoproxy.sock
          unix_mode: "0600"
          allowed_uids: [1000, 1001]
          allowed_gids: [100]
        providers:
          anthropic:
            endpoint: https://api.anthropic.com
            api_key_env: ANTHROPIC_API_KEY
            auth: bearer
            http_version: "2"
            resolve: [203.0.113.7, "2001:db8::7"]
        logging:
          mode: debug
        clients:
          - name: sandbox-1
            token_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
            providers: [anthropic]
          - name: sandbox-2
            token_sha256: "1f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        admin:
          tcp: 127.0.0.1:9090
          unix: /run/isoproxy/admin.sock
        """;

    [Fact]
    public void ListenTable_EveryField_HasItsRowInTheDocumentation() => AssertDocumented(ListenFields.All);

    [Fact]
    public void ProviderTable_EveryField_HasItsRowInTheDocumentation() => AssertDocumented(ProviderFields.All);

    [Fact]
    public void LimitsTable_EveryField_HasItsRowInTheDocumentation() => AssertDocumented(LimitsFields.All);

    [Fact]
    public void LoggingTable_EveryField_HasItsRowInTheDocumentation() => AssertDocumented(LoggingFields.All);

    [Fact]
    public void ClientTable_EveryField_HasItsRowInTheDocumentation() => AssertDocumented(ClientFields.All);

    [Fact]
    public void AdminTable_EveryField_HasItsRowInTheDocumentation() => AssertDocumented(AdminFields.All);

    [Fact]
    public void RootTable_EveryField_HasItsRowInTheDocumentation() => AssertDocumented(RootFields.All);

    [Fact]
    public void Tables_BuiltInDefault_PrintsEveryFieldsLine()
    {
        var config = BuiltInConfig.Create(_ => "sk-test-key").Config!;
        var rendered = EffectiveConfigWriter.Render(config);

        AssertPrinted(rendered, "", RootFields.All, config);
        AssertPrinted(rendered, "  ", ListenFields.All, config.Listen);
        AssertPrinted(rendered, "    ", ProviderFields.All, ProviderSettings.Of(config.Providers.Single()));
        AssertPrinted(rendered, "  ", LimitsFields.All, config.Limits);
        AssertPrinted(rendered, "  ", LoggingFields.All, config.Logging);
        Assert.Contains("\n  tcp: \"127.0.0.1:9000\"\n", rendered, StringComparison.Ordinal);
        Assert.Contains("\n    api_key: \"[redacted]\"  # from env ANTHROPIC_API_KEY\n", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void LimitsTable_Defaults_AreTheTablesDefaults()
    {
        var rendered = EffectiveConfigWriter.Render(BuiltInConfig.Create(_ => "sk-test-key").Config!);

        Assert.All(LimitsFields.All, field => Assert.Contains($"\n  {field.Key}: {field.Print(LimitsConfig.Defaults)}\n", rendered, StringComparison.Ordinal));
    }

    [Fact]
    public void Tables_SampleConfiguration_PrintsEveryFieldsLine()
    {
        var result = ConfigLoader.LoadYaml(SampleYaml, "sample", ConfigTestData.StandardGetEnvironmentVariable);
        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        var config = result.Config!;
        var rendered = EffectiveConfigWriter.Render(config);

        AssertPrinted(rendered, "  ", ListenFields.All, config.Listen);
        AssertPrinted(rendered, "    ", ProviderFields.All, ProviderSettings.Of(config.Providers.Single()));
        AssertPrinted(rendered, "  ", LoggingFields.All, config.Logging);
        AssertPrinted(rendered, "  ", AdminFields.All, config.Admin!);
        Assert.Equal(2, config.Clients.Length);
        Assert.All(config.Clients, client => AssertPrinted(rendered, "    ", ClientFields.All.Skip(1), client));
        Assert.Contains(
            "\nclients:\n  - name: sandbox-1\n    token_sha256: \"9f86d081...\"  # first 8 hex digits\n    providers: [anthropic]\n" +
            "  - name: sandbox-2\n    token_sha256: \"1f86d081...\"  # first 8 hex digits\n    providers: []  # all\n",
            rendered,
            StringComparison.Ordinal);
        Assert.Contains("\n  allowed_uids: [1000, 1001]\n", rendered, StringComparison.Ordinal);
        Assert.Contains("\n    resolve: [\"203.0.113.7\", \"2001:db8::7\"]\n", rendered, StringComparison.Ordinal);
        Assert.Contains("\n    http_version: \"2\"\n", rendered, StringComparison.Ordinal);
        Assert.Contains("\n  unix_mode: \"0600\"\n", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void ListenTable_EveryKey_IsReadByTheParser() =>
        AssertEveryKeyRead(ListenFields.All, "listen", key => $"listen:\n  {key}: {{}}\n{MinimalProviders}");

    [Fact]
    public void AdminTable_EveryKey_IsReadByTheParser() =>
        AssertEveryKeyRead(AdminFields.All, "admin", key => $"admin:\n  {key}: {{}}\n{MinimalProviders}");

    [Fact]
    public void LimitsTable_EveryKey_IsReadByTheParser() =>
        AssertEveryKeyRead(LimitsFields.All, "limits", key => $"limits:\n  {key}: {{}}\n{MinimalProviders}");

    [Fact]
    public void LoggingTable_EveryKey_IsReadByTheParser() =>
        AssertEveryKeyRead(LoggingFields.All, "logging", key => $"logging:\n  {key}: {{}}\n{MinimalProviders}");

    [Fact]
    public void ProviderTable_EveryKey_IsReadByTheParser() =>
        AssertEveryKeyRead(ProviderFields.All, "providers.anthropic", key =>
        {
            // One key source at a time: with several, none is read.
            var keySource = key.StartsWith("api_key_", StringComparison.Ordinal) ? "" : "    api_key_env: ANTHROPIC_API_KEY\n";
            var endpoint = key == "endpoint" ? "" : "    endpoint: https://api.anthropic.com\n";
            return $"providers:\n  anthropic:\n{endpoint}{keySource}    {key}: {{}}\n";
        });

    [Fact]
    public void RootTable_EveryKey_IsReadByTheParser() =>
        AssertEveryKeyRead(RootFields.All, "", key => $"{key}: {{}}\n{MinimalProviders}");

    [Fact]
    public void ClientTable_EveryKey_IsReadByTheParser() =>
        AssertEveryKeyRead(ClientFields.All, "clients[0]", key =>
        {
            var name = key == "name" ? "" : "    name: one\n";
            var hash = key == "token_sha256" ? "" : $"    token_sha256: \"{TokenHash}\"\n";
            return $"{MinimalProviders}clients:\n  - {key}: {{}}\n{name}{hash}";
        });

    private const string MinimalProviders = "providers:\n  anthropic:\n    endpoint: https://api.anthropic.com\n    api_key_env: ANTHROPIC_API_KEY\n";

    private static void AssertDocumented<TSection>(IEnumerable<IConfigField<TSection>> fields)
    {
        var documentation = File.ReadAllText(Path.Combine(ClientPaths.RepositoryRoot, "docs", "configuration.md")).ReplaceLineEndings("\n");

        Assert.All(fields, field => Assert.Contains("\n" + field.DocumentationRow() + "\n", documentation, StringComparison.Ordinal));
    }

    private static void AssertPrinted<TSection>(string rendered, string indent, IEnumerable<IConfigField<TSection>> fields, TSection section) =>
        Assert.All(fields, field =>
        {
            if (field.EffectiveLine(section) is { } line)
            {
                Assert.Contains($"\n{indent}{line}\n", rendered, StringComparison.Ordinal);
            }
        });

    /// <summary>A key holding a mapping is the wrong type for every field, so each key read reports it.</summary>
    private static void AssertEveryKeyRead<TSection>(IEnumerable<IConfigField<TSection>> fields, string path, Func<string, string> yamlWith) =>
        Assert.All(fields, field =>
        {
            var result = ConfigLoader.LoadYaml(yamlWith(field.Key), "sample", ConfigTestData.StandardGetEnvironmentVariable);

            var keyPath = path.Length == 0 ? field.Key : $"{path}.{field.Key}";
            Assert.Contains(result.Errors, error => error.Contains($": {keyPath}: expected a ", StringComparison.Ordinal));
        });
}
