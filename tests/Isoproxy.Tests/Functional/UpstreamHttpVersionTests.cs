using System.Net;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary><c>http_version</c> decides the protocol to the upstream; the client side is always HTTP/1.1.</summary>
public sealed class UpstreamHttpVersionTests
{
    [Theory]
    [InlineData("1.1", "HTTP/1.1")]
    [InlineData("2", "HTTP/2")]
    public async Task HttpVersion_UsedUpstream_StreamStillByteExact(string configured, string expectedProtocol)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(
            config => config with { Providers = [config.Providers[0] with { HttpVersion = configured == "2" ? HttpVersion.Version20 : HttpVersion.Version11 }] },
            cancellationToken: ct);
        var scripted = env.Upstream.Enqueue(FakeResponse.Sse(
        [
            SseChunk.Event("message_start", """{"type":"message_start"}"""),
            SseChunk.Event("message_stop", """{"type":"message_stop"}""", TimeSpan.FromMilliseconds(50)),
        ]));

        using var response = await env.Client.PostAsync("/v1/messages", new StringContent("""{"stream":true}"""), ct);
        var received = await response.Content.ReadAsByteArrayAsync(ct);

        Assert.Equal(expectedProtocol, Assert.Single(env.Upstream.Requests).Protocol);
        Assert.Equal(Hashing.Sha256(scripted.SentBody), Hashing.Sha256(received));
    }

    [Fact]
    public async Task Connections_PooledAndReused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);

        for (var i = 0; i < 5; i++)
        {
            using var response = await env.Client.GetAsync("/v1/models", ct);
            await response.Content.ReadAsByteArrayAsync(ct);
        }

        Assert.Equal(5, env.Upstream.Requests.Count);
        Assert.Equal(1, env.Upstream.ConnectionCount);
    }
}
