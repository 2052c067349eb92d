using System.Collections.Immutable;
using Isoproxy.Configuration;
using Isoproxy.Credentials;
using Isoproxy.Routing;
using Xunit;

namespace Isoproxy.Tests.Routing;

/// <summary>The allowlist as a pure function of the raw target.</summary>
public sealed class RouteTableTests
{
    private static readonly ProxyConfig Config = new(
        new ListenConfig(null, "/tmp/x.sock", (UnixFileMode)0b110_110_000, false, [], []),
        "anthropic",
        [Provider("anthropic"), Provider("openrouter")],
        LimitsConfig.Defaults,
        new LoggingConfig(LogMode.Off),
        []);

    private static ProviderConfig Provider(string name) =>
        new(name, new Uri($"https://{name}.example"), new ApiKey("k"), "test", UpstreamAuth.XApiKey, null, new Version(1, 1), ImmutableArray<System.Net.IPAddress>.Empty, false);

    [Theory]
    // The four API routes on the default provider, query kept apart.
    [InlineData("POST", "/v1/messages?beta=true", "anthropic", "/v1/messages", "?beta=true")]
    [InlineData("POST", "/v1/messages/count_tokens?beta=true", "anthropic", "/v1/messages/count_tokens", "?beta=true")]
    [InlineData("GET", "/v1/models?limit=1000", "anthropic", "/v1/models", "?limit=1000")]
    [InlineData("GET", "/v1/models/claude-opus-4-1@20250805", "anthropic", "/v1/models/claude-opus-4-1@20250805", "")]
    // A provider prefix selects that provider.
    [InlineData("POST", "/openrouter/v1/messages", "openrouter", "/v1/messages", "")]
    [InlineData("POST", "/anthropic/v1/messages?", "anthropic", "/v1/messages", "?")]
    public void Resolve_AllowlistedRoute_Forwards(string method, string target, string provider, string apiPath, string query)
    {
        var decision = RouteTable.Resolve(method, target, Config);

        Assert.Equal(RouteKind.Forward, decision.Kind);
        Assert.Equal(provider, decision.Provider!.Name);
        Assert.Equal(apiPath, decision.ApiPath);
        Assert.Equal(query, decision.Query);
    }

    [Theory]
    // Absolute and authority forms are never routes.
    [InlineData("POST", "http://evil.example/v1/messages")]
    [InlineData("CONNECT", "evil.example:443")]
    [InlineData("OPTIONS", "*")]
    // Anything that needs decoding or normalising is not a route.
    [InlineData("POST", "//evil/v1/messages")]
    [InlineData("POST", "/v1/messages/")]
    [InlineData("POST", "/v1/messages;x=1")]
    [InlineData("POST", "/V1/messages")]
    [InlineData("POST", "/v1/%6dessages")]
    [InlineData("GET", "/v1/messages/../models")]
    [InlineData("GET", "/v1/models/%2e%2e")]
    [InlineData("GET", "/v1/models/..")]
    [InlineData("GET", "/v1/models/a%2Fb")]
    [InlineData("GET", "/v1/models/a/b")]
    [InlineData("GET", "/v1/models/")]
    // Unknown providers and API paths.
    [InlineData("POST", "/evil/v1/messages")]
    [InlineData("POST", "/v1/complete")]
    [InlineData("GET", "/")]
    [InlineData("GET", "")]
    public void Resolve_NonRoute_NotFound(string method, string target)
    {
        Assert.Equal(RouteKind.NotFound, RouteTable.Resolve(method, target, Config).Kind);
    }

    [Theory]
    // Known paths with the wrong method say which one they accept.
    [InlineData("GET", "/v1/messages", "POST")]
    [InlineData("HEAD", "/v1/models", "GET")]
    [InlineData("POST", "/health", "GET")]
    public void Resolve_WrongMethod_MethodNotAllowed(string method, string target, string allowed)
    {
        var decision = RouteTable.Resolve(method, target, Config);

        Assert.Equal(RouteKind.MethodNotAllowed, decision.Kind);
        Assert.Equal(allowed, decision.AllowedMethod);
    }

    [Fact]
    public void Resolve_NoDefaultProvider_UnprefixedNotFoundWithAdvice()
    {
        var decision = RouteTable.Resolve("POST", "/v1/messages", Config with { DefaultProvider = null });

        Assert.Equal(RouteKind.NotFound, decision.Kind);
        Assert.Contains("default_provider", decision.Reason, StringComparison.Ordinal);
    }
}
