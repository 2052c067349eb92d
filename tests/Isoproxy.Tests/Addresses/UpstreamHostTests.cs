using System.Net;
using Isoproxy.Addresses;
using Xunit;

namespace Isoproxy.Tests.Addresses;

/// <summary>How an endpoint's host is read before the address policy judges it.</summary>
public sealed class UpstreamHostTests
{
    [Theory]
    [InlineData("169.254.169.254", "169.254.169.254")]
    [InlineData("169.254.169.254.", "169.254.169.254")]
    [InlineData("127.0.0.1.", "127.0.0.1")]
    [InlineData("[fd20:ce::254]", "fd20:ce::254")]
    [InlineData("fd00:ec2::254", "fd00:ec2::254")]
    [InlineData("api.anthropic.com", null)]
    [InlineData("api.anthropic.com.", null)]
    [InlineData("localhost", null)]
    public void AsIPAddress_TrailingDotAndBracketsRemoved(string host, string? expected)
    {
        Assert.Equal(expected is null ? null : IPAddress.Parse(expected), UpstreamHost.AsIPAddress(host));
    }
}
