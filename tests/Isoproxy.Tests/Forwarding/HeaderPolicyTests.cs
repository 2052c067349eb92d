using Isoproxy.Forwarding;
using Xunit;

namespace Isoproxy.Tests.Forwarding;

/// <summary>The request-header policy, row by row.</summary>
public sealed class HeaderPolicyTests
{
    private static readonly IReadOnlySet<string> NoneNominated = HeaderPolicy.ConnectionNominated([]);

    [Theory]
    // What clients depend on, including headers nobody has invented yet: forwarded.
    [InlineData("anthropic-version", true)]
    [InlineData("anthropic-beta", true)]
    [InlineData("Anthropic-Dangerous-Direct-Browser-Access", true)]
    [InlineData("x-stainless-timeout", true)]
    [InlineData("x-app", true)]
    [InlineData("user-agent", true)]
    [InlineData("accept-encoding", true)]
    [InlineData("content-type", true)]
    [InlineData("content-length", true)]
    [InlineData("x-future-header", true)]
    // Client credentials, in any case: never forwarded.
    [InlineData("x-api-key", false)]
    [InlineData("X-Api-Key", false)]
    [InlineData("authorization", false)]
    [InlineData("proxy-authorization", false)]
    [InlineData("cookie", false)]
    // Hop-by-hop headers and Host: never forwarded.
    [InlineData("connection", false)]
    [InlineData("keep-alive", false)]
    [InlineData("transfer-encoding", false)]
    [InlineData("te", false)]
    [InlineData("upgrade", false)]
    [InlineData("host", false)]
    [InlineData("expect", false)]
    // Routing overrides some gateways obey: never forwarded, so only the route table decides.
    [InlineData("X-HTTP-Method-Override", false)]
    [InlineData("x-http-method", false)]
    [InlineData("X-Method-Override", false)]
    [InlineData("X-Original-URL", false)]
    [InlineData("x-rewrite-url", false)]
    // Forwarding claims: the proxy adds none and lets no client claim one.
    [InlineData("Forwarded", false)]
    [InlineData("X-Forwarded-For", false)]
    [InlineData("x-forwarded-host", false)]
    [InlineData("X-Forwarded-Proto", false)]
    [InlineData("X-Forwarded-Prefix", false)]
    [InlineData("X-Real-IP", false)]
    [InlineData("Via", false)]
    // Look-alikes that are no such claim: forwarded.
    [InlineData("x-forwarded", true)]
    [InlineData("x-http-method-override-note", true)]
    public void ShouldForwardRequestHeader_PolicyTable(string name, bool forwarded)
    {
        Assert.Equal(forwarded, HeaderPolicy.ShouldForwardRequestHeader(name, NoneNominated));
    }

    [Fact]
    public void ConnectionNominated_ListedNamesAreHopByHop()
    {
        var nominated = HeaderPolicy.ConnectionNominated(["keep-alive, X-Hop-Only", " HTTP2-Settings ,,", null]);

        Assert.False(HeaderPolicy.ShouldForwardRequestHeader("x-hop-only", nominated));
        Assert.False(HeaderPolicy.ShouldForwardRequestHeader("http2-settings", nominated));
        Assert.True(HeaderPolicy.ShouldForwardRequestHeader("anthropic-beta", nominated));
    }

    [Theory]
    [InlineData("x-isoproxy-error", false)]
    [InlineData("X-Isoproxy-Error", false)]
    [InlineData("x-should-retry", true)]
    [InlineData("retry-after", true)]
    [InlineData("request-id", true)]
    public void ShouldRelayResponseHeader_OnlyTheProxysOwnReasonHeaderIsHeldBack(string name, bool relayed)
    {
        Assert.Equal(relayed, HeaderPolicy.ShouldRelayResponseHeader(name));
    }
}
