using System.Text;
using Isoproxy.Cli;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Deploy;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>
/// Requests, streams and both listeners through the real executable: the build output, or with
/// <c>ISOPROXY_BINARY</c> the published native binary, so the release artifact passes them too.
/// </summary>
public sealed class ExecutableTests
{
    [Fact]
    public async Task Version_PrintsTheReleaseVersion()
    {
        var ct = TestContext.Current.CancellationToken;

        await using var proxy = IsoproxyProcess.Start(new Dictionary<string, string>(), "--version");

        Assert.Equal(0, await proxy.WaitForExitAsync(ct));
        Assert.Equal(IsoproxyCli.Version + "\n", proxy.Stdout);
    }

    [Fact]
    public async Task SseStreamOverTcpAndJsonOverUnixSocket_BytesIdenticalWithInjectedKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var socketPath = Path.Combine(fixture.Directory, "isoproxy.sock");
        var config = await fixture.WriteConfigAsync($"tcp: 127.0.0.1:0\nunix: {socketPath}", ct);
        SseChunk[] chunks =
        [
            SseChunk.Event("message_start", """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}"""),
            SseChunk.Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo \u00e9 😀"}}""", TimeSpan.FromMilliseconds(50)),
            SseChunk.Event("message_stop", """{"type":"message_stop"}""", TimeSpan.FromMilliseconds(50)),
        ];
        fixture.Upstream.Enqueue(FakeResponse.Sse(chunks, ("request-id", "req_stream")));
        var json = """{"id":"msg_2","content":[{"type":"text","text":"über die Brücke"}]}""";
        fixture.Upstream.Enqueue(FakeResponse.Json(200, json));

        await using var proxy = IsoproxyProcess.Start(DeployFixture.KeyEnvironment, "serve", "--config", config);
        var port = await proxy.WaitForListeningAsync(ct);
        using var tcpClient = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var streamed = await tcpClient.PostAsync("/v1/messages", new StringContent("""{"stream":true}"""), ct);
        var streamedBytes = await streamed.Content.ReadAsByteArrayAsync(ct);
        using var unixClient = UnixSocketHttpClient.Create(socketPath);
        using var overUnix = await unixClient.PostAsync("/v1/messages", DeployFixture.MessagesBody(), ct);

        Assert.Equal("text/event-stream", streamed.Content.Headers.ContentType?.MediaType);
        Assert.Equal("req_stream", Assert.Single(streamed.Headers.GetValues("request-id")));
        Assert.Equal(chunks.SelectMany(c => c.Data).ToArray(), streamedBytes);
        Assert.Equal(Encoding.UTF8.GetBytes(json), await overUnix.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(2, fixture.Upstream.Requests.Count);
        Assert.All(fixture.Upstream.Requests, r => Assert.Equal(ProxyTestEnvironment.UpstreamKey, r.GetHeader("x-api-key")));
        Assert.Equal("""{"stream":true}""", fixture.Upstream.Requests[0].BodyText);
        await proxy.StopAsync(ct);
        Assert.Equal(0, proxy.ExitCode);
        Assert.False(File.Exists(socketPath));
    }
}
