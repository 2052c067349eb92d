using System.Text;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>SSE streams reach the client exactly, and event by event as the upstream flushes them.</summary>
[Collection(RunsAlone.Name)]
public sealed class StreamingTests
{
    private static readonly TimeSpan EventGap = TimeSpan.FromMilliseconds(200);

    /// <summary>A whole Messages stream, including an event type nobody has seen yet.</summary>
    private static List<SseChunk> AnthropicStream(TimeSpan gap) =>
    [
        SseChunk.Event("message_start", """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}"""),
        SseChunk.Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""", gap),
        SseChunk.Event("ping", """{"type": "ping"}""", gap),
        SseChunk.Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}""", gap),
        SseChunk.Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo \u00e9 😀"}}""", gap),
        SseChunk.Event("future_event_type", """{"type":"future_event_type","payload":{"anything":[1,2,3]}}""", gap),
        SseChunk.Event("content_block_stop", """{"type":"content_block_stop","index":0}""", gap),
        SseChunk.Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}}""", gap),
        SseChunk.Event("message_stop", """{"type":"message_stop"}""", gap),
    ];

    [Fact]
    public async Task SseStream_EachEventReachesClientAsFlushed_BytesIdentical()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        // One stream first, so that the measured one does not pay for first-use compilation.
        env.Upstream.Enqueue(FakeResponse.Sse(AnthropicStream(TimeSpan.Zero)));
        using (var warmUp = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken))
        {
            await warmUp.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        }
        var chunks = AnthropicStream(EventGap);
        var scripted = env.Upstream.Enqueue(FakeResponse.Sse(chunks, ("request-id", "req_stream")));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages?beta=true") { Content = new StringContent("""{"stream":true}""") };
        using var response = await env.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("req_stream", Assert.Single(response.Headers.GetValues("request-id")));

        // Record when each event's last byte arrives.
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        var received = new MemoryStream();
        var arrivals = new List<DateTimeOffset>();
        var expectedEnds = new List<long>();
        long total = 0;
        foreach (var chunk in chunks)
        {
            total += chunk.Data.Length;
            expectedEnds.Add(total);
        }
        var buffer = new byte[4096];
        int read;
        while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
        {
            received.Write(buffer, 0, read);
            while (arrivals.Count < expectedEnds.Count && received.Length >= expectedEnds[arrivals.Count])
            {
                arrivals.Add(DateTimeOffset.UtcNow);
            }
        }

        Assert.Equal(Hashing.Sha256(scripted.SentBody), Hashing.Sha256(received.ToArray()));
        var flushes = scripted.FlushTimes;
        Assert.Equal(chunks.Count, flushes.Count);
        Assert.Equal(chunks.Count, arrivals.Count);
        for (var i = 0; i < chunks.Count; i++)
        {
            // Events are 200 ms apart upstream: holding even one event back shows as ≥200 ms of
            // lag. The bound is generous so a busy machine does not fail it, and below the gap.
            var lag = arrivals[i] - flushes[i];
            Assert.True(lag < TimeSpan.FromMilliseconds(150), $"event {i} arrived {lag.TotalMilliseconds:0} ms after the upstream flushed it");
        }
    }

    [Fact]
    public async Task SseStream_LongerThanTimeoutSeconds_IsNotCut()
    {
        // timeout_seconds bounds the wait for headers, never a stream that keeps flowing.
        await using var env = await ProxyTestEnvironment.StartAsync(
            config => config with { Limits = config.Limits with { Timeout = TimeSpan.FromSeconds(1) } },
            cancellationToken: TestContext.Current.CancellationToken);
        var chunks = AnthropicStream(TimeSpan.FromMilliseconds(300));
        var scripted = env.Upstream.Enqueue(FakeResponse.Sse(chunks));

        using var response = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken);
        var received = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(Hashing.Sha256(scripted.SentBody), Hashing.Sha256(received));
        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", Encoding.UTF8.GetString(received), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SseStream_EventsSplitAcrossWrites_BytesIdentical()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        // One event flushed in three pieces, CRLF line endings, a comment line and a trailing partial line.
        var chunks = new List<SseChunk>
        {
            SseChunk.Raw("event: content_block_delta\r\ndata: {\"type\":\"content_"),
            SseChunk.Raw("block_delta\",\"index\":0}\r", TimeSpan.FromMilliseconds(20)),
            SseChunk.Raw("\n\r\n: keep-alive comment\n\n", TimeSpan.FromMilliseconds(20)),
            SseChunk.Raw("data: trailing without blank line", TimeSpan.FromMilliseconds(20)),
        };
        var scripted = env.Upstream.Enqueue(FakeResponse.Sse(chunks));

        using var response = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken);
        var received = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Hashing.Sha256(scripted.SentBody), Hashing.Sha256(received));
    }
}
