using System.Net;
using Isoproxy.Configuration;
using Xunit;

namespace Isoproxy.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string OneProvider = """
        providers:
          anthropic:
            endpoint: https://api.anthropic.com
            api_key_env: ANTHROPIC_API_KEY
        """;

    [Fact]
    public void LoadFile_AdminListener_MapsEveryKey()
    {
        var result = ConfigTestData.LoadFile("valid/admin-listener.yaml");

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        var admin = result.Config!.Admin!;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9090), admin.Tcp);
        Assert.Equal("/run/isoproxy/admin.sock", admin.UnixSocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, admin.UnixSocketMode);
        Assert.False(admin.UnsafeAllowNonLoopback);
        Assert.Matches("^[0-9a-f]{64}$", result.SourceSha256);
    }

    [Fact]
    public void LoadYaml_NoAdminSection_NoAdminListener()
    {
        var result = ConfigLoader.LoadYaml(OneProvider, "test.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        Assert.Null(result.Config!.Admin);
    }

    [Fact]
    public void LoadYaml_AdminNonLoopbackWithUnsafe_LoadsWithWarning()
    {
        var yaml = OneProvider + "\nadmin:\n  tcp: 0.0.0.0:9090\n  unsafe_allow_non_loopback: true\n";

        var result = ConfigLoader.LoadYaml(yaml, "test.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        Assert.Equal(IPAddress.Any, result.Config!.Admin!.Tcp!.Address);
        Assert.Contains(result.Warnings, w => w.Contains("admin.unsafe_allow_non_loopback: is true", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadYaml_ListenProblemsInEveryKey_ReportedInTheSameOrder()
    {
        var yaml = """
            listen:
              unsafe_allow_non_loopback: 3
              tcp: 10.0.0.1:80
              unix: rel
              systemd: [1]
              unix_mode: 1777
              allowed_uids: [a, -1]
              allowed_gids: {}
              unsafe_allow_world_socket: x
            """ + "\n" + OneProvider;

        var result = ConfigLoader.LoadYaml(yaml, "test.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.Equal(
            [
                "test.yaml:2: listen.unsafe_allow_non_loopback: must be true or false",
                "test.yaml:3: listen.tcp: is not a loopback address; the proxy spends provider keys for whoever connects, so it listens on the local machine only (set listen.unsafe_allow_non_loopback: true to override)",
                "test.yaml:4: listen.unix: must be an absolute path",
                "test.yaml:5: listen.systemd: expected a scalar, got a list",
                "test.yaml:6: listen.unix_mode: must not set the setuid, setgid or sticky bit (the first of 4 digits must be 0)",
                "test.yaml:7: listen.allowed_uids[0]: must be a non-negative integer id",
                "test.yaml:7: listen.allowed_uids[1]: must be a non-negative integer id",
                "test.yaml:8: listen.allowed_gids: expected a list, got a mapping",
                "test.yaml:9: listen.unsafe_allow_world_socket: must be true or false",
            ],
            result.Errors);
    }

    [Fact]
    public void LoadYaml_InvalidSystemdAndPeerListWithoutSocket_EachProblemReportedOnce()
    {
        var yaml = "listen:\n  allowed_uids: [x, 1]\n  systemd: bad\n  tcp: \"\"\n" + OneProvider;

        var result = ConfigLoader.LoadYaml(yaml, "test.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.Equal(
            [
                "test.yaml:4: listen.tcp: must not be empty",
                "test.yaml:3: listen.systemd: must be true or false",
                "test.yaml:2: listen.allowed_uids: is only valid together with listen.unix or listen.systemd",
                "test.yaml:2: listen.allowed_uids[0]: must be a non-negative integer id",
            ],
            result.Errors);
    }

    [Fact]
    public void LoadYaml_ProviderProblemsInEveryKey_ReportedInTheSameOrder()
    {
        var yaml = """
            providers:
              Bad_Name:
                endpoint: http://x
                api_key_env: "1bad"
                auth: foo
                ca_file: /nonexistent/ca.pem
                http_version: 3
                resolve: [169.254.169.254, x, {}, "::1"]
                unsafe_allow_private_addresses: 1
                bogus: 1
            """;

        var result = ConfigLoader.LoadYaml(yaml, "test.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.Equal(
            [
                "test.yaml:2: providers.Bad_Name: provider name must match ^[a-z0-9-]+$ (it is also the URL path prefix)",
                "test.yaml:10: providers.Bad_Name.bogus: unknown key (valid keys: endpoint, api_key_env, api_key_file, api_key_credential, auth, ca_file, http_version, resolve, unsafe_allow_private_addresses)",
                "test.yaml:3: providers.Bad_Name.endpoint: must use https: the key would cross the network in plain text",
                "test.yaml:4: providers.Bad_Name.api_key_env: must be an environment variable name (letters, digits, _), not the key itself",
                "test.yaml:5: providers.Bad_Name.auth: must be x-api-key or bearer",
                "test.yaml:6: providers.Bad_Name.ca_file: CA file /nonexistent/ca.pem does not exist",
                "test.yaml:7: providers.Bad_Name.http_version: must be \"1.1\" or \"2\"",
                "test.yaml:8: providers.Bad_Name.resolve[0]: 169.254.169.254 is link-local / cloud metadata (169.254.0.0/16), which the proxy never connects to",
                "test.yaml:8: providers.Bad_Name.resolve[1]: must be an IP address (resolve pins addresses so that no DNS is used)",
                "test.yaml:8: providers.Bad_Name.resolve[2]: must be an IP address (resolve pins addresses so that no DNS is used)",
                "test.yaml:9: providers.Bad_Name.unsafe_allow_private_addresses: must be true or false",
            ],
            result.Errors);
    }

    [Fact]
    public void LoadYaml_ClientProblemsInEveryKey_ReportedInTheSameOrder()
    {
        var yaml = OneProvider + "\n" + """
            clients:
              - name: one
                token_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                providers: [anthropic, {}, nope, ~]
              - name: one
                token_sha256: "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
                providers: x
              - name: "bad name"
                token_sha256: short
              - {}
            """;

        var result = ConfigLoader.LoadYaml(yaml, "test.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.Equal(
            [
                "test.yaml:8: clients[0].providers[1]: must be a provider name",
                "test.yaml:8: clients[0].providers[2]: provider \"nope\" is not configured under providers",
                "test.yaml:8: clients[0].providers[3]: must be a provider name",
                "test.yaml:9: clients[1].name: duplicate client name \"one\" (first used at line 6)",
                "test.yaml:10: clients[1].token_sha256: the same token hash is already used by another client (line 7)",
                "test.yaml:11: clients[1].providers: expected a list, got a scalar",
                "test.yaml:12: clients[2].name: must contain only letters, digits, '.', '_' and '-'",
                "test.yaml:13: clients[2].token_sha256: must be 64 hexadecimal characters (printf %s \"$TOKEN\" | sha256sum)",
                "test.yaml:14: clients[3].name: is required",
                "test.yaml:14: clients[3].token_sha256: is required (printf %s \"$TOKEN\" | sha256sum)",
            ],
            result.Errors);
    }

    [Fact]
    public void LoadFile_SeedExample_LoadsBothProvidersWithoutDefault()
    {
        var result = ConfigTestData.LoadFile("valid/seed-example.yaml");

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        var config = result.Config!;
        Assert.Null(config.DefaultProvider);
        Assert.Equal(["anthropic", "openrouter"], config.Providers.Select(p => p.Name));
        var anthropic = config.FindProvider("anthropic")!;
        Assert.Equal("https://api.anthropic.com", anthropic.Endpoint.OriginalString);
        Assert.Equal(ConfigTestData.CanaryKey, anthropic.Key.Reveal());
        Assert.Equal("env:ANTHROPIC_API_KEY", anthropic.KeySource);
        var openRouter = config.FindProvider("openrouter")!;
        Assert.Equal("https://openrouter.ai/api/anthropic", openRouter.Endpoint.OriginalString);
        Assert.Equal(ConfigTestData.OpenRouterCanaryKey, openRouter.Key.Reveal());
        Assert.Equal(5L * 1024 * 1024, config.Limits.MaxRequestBytes);
        Assert.Equal(20L * 1024 * 1024, config.Limits.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromSeconds(120), config.Limits.Timeout);
        Assert.Equal(LogMode.Metadata, config.Logging.Mode);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void LoadFile_FullExample_MapsEveryKey()
    {
        ConfigTestData.SecureKeyFiles();

        var result = ConfigTestData.LoadFile("valid/full-example.yaml");

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        var config = result.Config!;
        var listen = config.Listen;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9100), listen.Tcp);
        Assert.Equal("/run/isoproxy/isoproxy.sock", listen.UnixSocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, listen.UnixSocketMode);
        Assert.False(listen.UnsafeAllowNonLoopback);
        Assert.Equal([1000u, 1001u], listen.AllowedUids);
        Assert.Equal([100u], listen.AllowedGids);
        Assert.Equal("openrouter", config.DefaultProvider);

        var anthropic = config.FindProvider("anthropic")!;
        Assert.Equal("https://api.anthropic.com", anthropic.Endpoint.OriginalString);
        Assert.Equal(UpstreamAuth.XApiKey, anthropic.Auth);
        Assert.Equal(HttpVersion.Version11, anthropic.HttpVersion);
        Assert.Null(anthropic.CaFile);
        Assert.Empty(anthropic.Resolve);
        Assert.False(anthropic.UnsafeAllowPrivateAddresses);

        var openRouter = config.FindProvider("openrouter")!;
        var keyPath = ConfigTestData.PathOf("files/openrouter.key");
        Assert.Equal("https://openrouter.ai/api/anthropic", openRouter.Endpoint.OriginalString);
        Assert.Equal("sk-testdata-openrouter-0000", openRouter.Key.Reveal());
        Assert.Equal($"file:{keyPath}", openRouter.KeySource);
        Assert.Equal(UpstreamAuth.Bearer, openRouter.Auth);
        Assert.Equal(ConfigTestData.PathOf("files/ca.pem"), openRouter.CaFile);
        Assert.Equal(HttpVersion.Version20, openRouter.HttpVersion);
        Assert.Equal([IPAddress.Parse("203.0.113.7"), IPAddress.Parse("2001:db8::7")], openRouter.Resolve);

        var limits = config.Limits;
        Assert.Equal(8L * 1024 * 1024, limits.MaxRequestBytes);
        Assert.Equal(1024L * 1024 * 1024, limits.MaxResponseBytes);
        Assert.Equal(TimeSpan.FromSeconds(300), limits.Timeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), limits.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(90), limits.StreamIdle);
        Assert.Equal(TimeSpan.FromSeconds(7200), limits.StreamMax);
        Assert.Equal(16, limits.MaxConcurrentRequests);
        Assert.Equal(TimeSpan.FromSeconds(45), limits.ShutdownGrace);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.ClientHeaderTimeout);
        Assert.Equal(TimeSpan.FromSeconds(75), limits.ClientKeepAlive);
        Assert.Equal(1000, limits.ClientMinBodyBytesPerSecond);
        Assert.Equal(64 * 1024, limits.MaxRequestHeaderBytes);
        Assert.Equal(200, limits.MaxRequestHeaders);
        Assert.Equal(300, limits.MaxConnections);
        Assert.Equal(LogMode.Debug, config.Logging.Mode);

        Assert.Equal(2, config.Clients.Length);
        Assert.Equal("sandbox-1", config.Clients[0].Name);
        Assert.Equal(Convert.FromHexString("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), config.Clients[0].TokenSha256);
        Assert.Equal(["anthropic"], config.Clients[0].Providers);
        Assert.Equal("sandbox-2", config.Clients[1].Name);
        Assert.Equal(Convert.FromHexString("60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"), config.Clients[1].TokenSha256);
        Assert.Empty(config.Clients[1].Providers);
    }

    [Fact]
    public void LoadFile_SeveralProblems_ReportsEveryOne()
    {
        var result = ConfigTestData.LoadFile("multiple-problems.yaml");

        Assert.False(result.IsValid);
        Assert.Equal(3, result.Errors.Length);
        Assert.Contains(result.Errors, e => e.Contains("multiple-problems.yaml:4: providers.anthropic.endpoint: must use https", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("multiple-problems.yaml:7: limits.max_request_bytes:", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Contains("multiple-problems.yaml:9: logging.mode:", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadFile_MissingFile_ErrorNamesPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"isoproxy-missing-{Guid.NewGuid():N}", "isoproxy.yaml");

        var result = ConfigLoader.LoadFile(path, ConfigTestData.StandardGetEnvironmentVariable);

        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Contains(path, error, StringComparison.Ordinal);
        Assert.Contains("not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_Error_NamesSourceLineAndKeyPath()
    {
        var yaml = OneProvider.Replace("https://", "http://", StringComparison.Ordinal);

        var result = ConfigLoader.LoadYaml(yaml, "inline.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("inline.yaml:3: providers.anthropic.endpoint: must use https", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_OneProviderWithoutDefault_ItIsTheDefault()
    {
        var result = ConfigLoader.LoadYaml(OneProvider, "inline.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        Assert.Equal("anthropic", result.Config!.DefaultProvider);
    }

    [Fact]
    public void LoadYaml_ListenAbsent_LoopbackPort9000AndDefaults()
    {
        var result = ConfigLoader.LoadYaml(OneProvider, "inline.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        var config = result.Config!;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9000), config.Listen.Tcp);
        Assert.Null(config.Listen.UnixSocketPath);
        Assert.Equal(Convert.ToInt32("660", 8), (int)config.Listen.UnixSocketMode);
        Assert.Equal(LimitsConfig.Defaults, config.Limits);
        Assert.Equal(LogMode.Metadata, config.Logging.Mode);
        Assert.Empty(config.Clients);
        var provider = config.Providers.Single();
        Assert.Equal(UpstreamAuth.XApiKey, provider.Auth);
        Assert.Equal(HttpVersion.Version11, provider.HttpVersion);
    }

    [Fact]
    public void LoadFile_UnsafeSettings_OneWarningPerSetting()
    {
        var result = ConfigTestData.LoadFile("valid/unsafe-settings.yaml");

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        Assert.Equal(2, result.Warnings.Length);
        Assert.Contains(result.Warnings, w => w.Contains("listen.unsafe_allow_non_loopback: is true", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("providers.internal.unsafe_allow_private_addresses: is true", StringComparison.Ordinal));
        Assert.Equal(IPAddress.Any, result.Config!.Listen.Tcp!.Address);
    }

    [Fact]
    public void LoadFile_WorldWritableSocketAllowedExplicitly_ValidWithWarning()
    {
        var result = ConfigTestData.LoadFile("valid/unix-world-socket-unsafe.yaml");

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("listen.unsafe_allow_world_socket: is true: a unix_mode with the other-write bit lets every local user connect", warning, StringComparison.Ordinal);
        Assert.True(result.Config!.Listen.UnsafeAllowWorldSocket);
        Assert.Equal((UnixFileMode)Convert.ToInt32("666", 8), result.Config.Listen.UnixSocketMode);
    }

    [Fact]
    public void LoadYaml_DefaultProviderIsBroken_OnlyTheProviderErrorIsReported()
    {
        // default_provider and clients are checked against declared names, so one broken
        // provider does not produce follow-up errors elsewhere.
        var yaml = """
            default_provider: anthropic
            providers:
              anthropic:
                endpoint: http://api.anthropic.com
                api_key_env: ANTHROPIC_API_KEY
            clients:
              - name: sandbox-1
                token_sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                providers: [anthropic]
            """;

        var result = ConfigLoader.LoadYaml(yaml, "inline.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        var error = Assert.Single(result.Errors);
        Assert.Contains("providers.anthropic.endpoint: must use https", error, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadYaml_EndpointWithBasePathAndTrailingSlash_StoredWithoutSlash()
    {
        var yaml = OneProvider.Replace("https://api.anthropic.com", "https://example.com:8443/api/anthropic/", StringComparison.Ordinal);

        var result = ConfigLoader.LoadYaml(yaml, "inline.yaml", ConfigTestData.StandardGetEnvironmentVariable);

        Assert.True(result.IsValid, ConfigTestData.Describe(result));
        var endpoint = result.Config!.Providers.Single().Endpoint;
        Assert.Equal("https://example.com:8443/api/anthropic", endpoint.OriginalString);
        Assert.Equal("/api/anthropic", endpoint.AbsolutePath);
    }
}
