using System.Text;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>
/// Requests with bytes parsers disagree about are refused over a real socket with 400
/// <c>malformed_request</c>, and nothing reaches the upstream.
/// </summary>
public sealed class MalformedRequestTests
{
    private const string Body = "{}";

    private static byte[] Request(byte[] query, byte[] headerValue)
    {
        var request = new List<byte>();
        request.AddRange("POST /v1/messages"u8.ToArray());
        request.AddRange(query);
        request.AddRange(" HTTP/1.1\r\nHost: x\r\nX-Test: "u8.ToArray());
        request.AddRange(headerValue);
        request.AddRange(Encoding.ASCII.GetBytes($"\r\nContent-Length: {Body.Length}\r\nConnection: close\r\n\r\n{Body}"));
        return [.. request];
    }

    [Theory]
    [InlineData(new byte[] { 0x01 })]
    [InlineData(new byte[] { 0x09 })]
    [InlineData(new byte[] { 0x1F })]
    [InlineData(new byte[] { 0x7F })]
    [InlineData(new byte[] { (byte)'"' })]
    [InlineData(new byte[] { (byte)'<' })]
    [InlineData(new byte[] { (byte)'>' })]
    [InlineData(new byte[] { (byte)'\\' })]
    [InlineData(new byte[] { (byte)'^' })]
    [InlineData(new byte[] { (byte)'`' })]
    [InlineData(new byte[] { (byte)'{' })]
    [InlineData(new byte[] { (byte)'|' })]
    [InlineData(new byte[] { (byte)'}' })]
    [InlineData(new byte[] { (byte)'#' })]
    [InlineData(new byte[] { (byte)'%', (byte)'G' })]
    public async Task QueryByte_Refused400MalformedRequest_NothingSentUpstream(byte[] bad)
    {
        var query = Encoding.ASCII.GetBytes("?a=").Concat(bad).Concat("&b=1"u8.ToArray()).ToArray();
        await AssertRefusedAsync(Request(query, "ok"u8.ToArray()));
    }

    [Theory]
    // The server's own parser refuses these before any handler runs: a bare 400, nothing forwarded.
    [InlineData(new byte[] { 0xC3, 0xA9 }, new byte[] { (byte)'o', (byte)'k' })]
    [InlineData(new byte[] { (byte)'o', (byte)'k' }, new byte[] { 0xE9 })]
    public async Task NonAsciiTargetOrInvalidUtf8Header_RefusedByTheServer_NothingSentUpstream(byte[] badQuery, byte[] badHeader)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        var query = Encoding.ASCII.GetBytes("?a=").Concat(badQuery).ToArray();

        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, Request(query, badHeader), cancellationToken: ct);

        Assert.Equal(400, RawHttp.StatusOf(response));
        Assert.Equal(0, env.Upstream.ConnectionCount);
    }

    [Theory]
    [InlineData(new byte[] { 0x01 })]
    [InlineData(new byte[] { 0x0B })]
    [InlineData(new byte[] { 0x0C })]
    [InlineData(new byte[] { 0x1F })]
    [InlineData(new byte[] { 0x7F })]
    [InlineData(new byte[] { 0xC3, 0xA9 })]
    public async Task HeaderValueByte_Refused400MalformedRequest_NothingSentUpstream(byte[] bad)
    {
        var value = "a"u8.ToArray().Concat(bad).Concat("b"u8.ToArray()).ToArray();
        await AssertRefusedAsync(Request("?beta=true"u8.ToArray(), value));
    }

    [Fact]
    public async Task PercentEncodedBytesAndTabInHeader_ForwardedVerbatim()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);

        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, Request("?a=%01%7F%22%3C%C3%A9&b"u8.ToArray(), "tab\there"u8.ToArray()), cancellationToken: ct);

        Assert.Equal(200, RawHttp.StatusOf(response));
        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal("?a=%01%7F%22%3C%C3%A9&b", upstream.QueryString);
        Assert.Equal("tab\there", upstream.GetHeader("x-test"));
    }

    private static async Task AssertRefusedAsync(byte[] request)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);

        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, request, cancellationToken: ct);

        Assert.Equal(400, RawHttp.StatusOf(response));
        Assert.Contains("\r\nx-isoproxy-error: malformed_request\r\n", response, StringComparison.Ordinal);
        Assert.Contains("\r\nx-should-retry: false\r\n", response, StringComparison.Ordinal);
        Assert.Contains("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"isoproxy: ", response, StringComparison.Ordinal);
        Assert.Equal(0, env.Upstream.ConnectionCount);
        var line = Assert.Single(await LogLines.WaitAsync(() => env.RequestLog, 1, ct));
        Assert.Equal("malformed_request", line.GetProperty("outcome").GetString());
    }
}
