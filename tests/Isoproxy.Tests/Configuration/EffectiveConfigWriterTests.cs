using Isoproxy.Configuration;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace Isoproxy.Tests.Configuration;

public sealed class EffectiveConfigWriterTests
{
    [Fact]
    public void Render_BuiltInDefault_EveryDefaultSpelledOut()
    {
        var config = ConfigLoader.BuiltInDefault(ConfigTestData.StandardGetEnvironmentVariable).Config!;

        var yaml = EffectiveConfigWriter.Render(config);

        Assert.Equal(
            """
            # Effective configuration: every default filled in, keys redacted.
            listen:
              tcp: "127.0.0.1:9000"
              unix: null
              unix_mode: "0660"
              unsafe_allow_non_loopback: false
              unsafe_allow_world_socket: false
              allowed_uids: []
              allowed_gids: []
              systemd: false
            default_provider: anthropic
            providers:
              anthropic:
                endpoint: "https://api.anthropic.com"
                api_key: "[redacted]"  # from env ANTHROPIC_API_KEY
                auth: x-api-key
                ca_file: null  # system trust store
                http_version: "1.1"
                resolve: []
                unsafe_allow_private_addresses: false
            limits:
              max_request_bytes: 5MB
              max_response_bytes: 20MB
              timeout_seconds: 120
              connect_timeout_seconds: 10
              stream_idle_seconds: 180
              stream_max_seconds: 3600
              max_concurrent_requests: 64
              shutdown_grace_seconds: 30
              client_header_timeout_seconds: 10
              client_keepalive_seconds: 130
              client_min_body_bytes_per_second: 240
              max_request_header_bytes: 32KB
              max_request_headers: 100
              max_connections: 1024
            logging:
              mode: metadata
            clients: []  # none configured: no client token is required
            admin: null  # no admin listener

            """,
            yaml);
    }

    [Fact]
    public void Render_FullExample_TokenHashShortenedAndValuesShown()
    {
        ConfigTestData.SecureKeyFiles();
        var config = ConfigTestData.LoadFile("valid/full-example.yaml").Config!;

        var yaml = EffectiveConfigWriter.Render(config);

        Assert.Contains("token_sha256: \"9f86d081...\"", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("9f86d081884c7d65", yaml, StringComparison.Ordinal);
        Assert.Contains($"# from file {ConfigTestData.PathOf("files/openrouter.key")}", yaml, StringComparison.Ordinal);
        Assert.Contains("unix_mode: \"0600\"", yaml, StringComparison.Ordinal);
        Assert.Contains("connect_timeout_seconds: 0.5", yaml, StringComparison.Ordinal);
        Assert.Contains("max_response_bytes: 1GB", yaml, StringComparison.Ordinal);
        Assert.Contains("http_version: \"2\"", yaml, StringComparison.Ordinal);
        Assert.Contains("resolve: [\"203.0.113.7\", \"2001:db8::7\"]", yaml, StringComparison.Ordinal);
        Assert.Contains("default_provider: openrouter", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AdminListener_EveryKeyShown()
    {
        var config = ConfigTestData.LoadFile("valid/admin-listener.yaml").Config!;

        var yaml = EffectiveConfigWriter.Render(config);

        Assert.EndsWith(
            """
            admin:
              tcp: "127.0.0.1:9090"
              unix: "/run/isoproxy/admin.sock"
              unix_mode: "0600"
              unsafe_allow_non_loopback: false

            """,
            yaml,
            StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ConfigTestdataTableTests.ValidFiles), MemberType = typeof(ConfigTestdataTableTests))]
    public void Render_ValidFile_IsWellFormedYaml(string file)
    {
        ConfigTestData.SecureKeyFiles();
        var config = ConfigTestData.LoadFile(file).Config!;

        var yaml = EffectiveConfigWriter.Render(config);

        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = Assert.IsType<YamlMappingNode>(stream.Documents.Single().RootNode);
        Assert.Equal(
            ["listen", "default_provider", "providers", "limits", "logging", "clients", "admin"],
            root.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }
}
