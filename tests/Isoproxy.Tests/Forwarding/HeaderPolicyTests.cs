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
}
