using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.FakeUpstream;

public sealed class FakeUpstreamServerTests
{
    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task DefaultResponder_OverHttps_ReturnsTextMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);

        Assert.Equal("localhost", server.BaseUri.Host);
        using var response = await client.PostAsync(
            new Uri(server.BaseUri, "/v1/messages"),
            new StringContent("""{"model":"claude-x","max_tokens":5,"messages":[]}""", Encoding.UTF8, "application/json"),
            ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("req_fake_", Assert.Single(response.Headers.GetValues("request-id")), StringComparison.Ordinal);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        Assert.Equal("message", (string?)message["type"]);
        Assert.Equal("claude-x", (string?)message["model"]);
        Assert.Equal("Hello from the fake upstream.", (string?)message["content"]![0]!["text"]);
        Assert.Equal("end_turn", (string?)message["stop_reason"]);
    }

    [Fact]
    public async Task Request_IsRecordedExactly_AndConnectionIsReused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);
        var body = Encoding.UTF8.GetBytes("""{"model":"m","stream":false,"max_tokens":1,"messages":[{"role":"user","content":"hé"}]}""");

        for (var i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "/v1/messages?beta=true"))
            {
                Content = new ByteArrayContent(body),
            };
            request.Headers.Add("anthropic-version", "2023-06-01");
            request.Headers.Add("X-Custom-Thing", "a b");
            using var response = await client.SendAsync(request, ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var first = await server.WaitForRequestAsync(0, WaitTimeout);
        var second = await server.WaitForRequestAsync(1, WaitTimeout);
        Assert.Equal("POST", first.Method);
        Assert.Equal("/v1/messages", first.Path);
        Assert.Equal("?beta=true", first.QueryString);
        Assert.Equal("HTTP/1.1", first.Protocol);
        Assert.True(first.BodyComplete);
        Assert.Equal(body, first.Body);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), first.BodySha256);
        Assert.Equal("2023-06-01", first.GetHeader("anthropic-version"));
        Assert.Contains(first.Headers, h => h.Key == "X-Custom-Thing" && h.Value == "a b");
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), first.GetHeader("content-length"));
        Assert.Equal(first.ConnectionId, second.ConnectionId);
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Http2Client_IsServedOverHttp2()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath, HttpVersion.Version20);

        using var response = await client.GetAsync(new Uri(server.BaseUri, "/v1/models?limit=1000"), ct);

        Assert.Equal(HttpVersion.Version20, response.Version);
        var page = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        Assert.Equal("claude-fake-1", (string?)page["data"]![0]!["id"]);
        var recorded = await server.WaitForRequestAsync(0, WaitTimeout);
        Assert.Equal("HTTP/2", recorded.Protocol);
        Assert.Equal("?limit=1000", recorded.QueryString);
    }

    [Fact]
    public async Task Sse_ArrivesEventByEvent_WithFlushTimesRecorded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);
        var gap = TimeSpan.FromMilliseconds(300);
        var script = server.Enqueue(FakeResponse.Sse(
        [
            SseChunk.Event("message_start", """{"type":"message_start"}"""),
            SseChunk.Event("ping", """{"type":"ping"}""", gap),
            SseChunk.Event("message_stop", """{"type":"message_stop"}""", gap),
        ]));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUri, "/v1/messages")) { Content = new StringContent("{}") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Null(response.Content.Headers.ContentLength);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);

        var firstEvent = await ReadUntilAsync(stream, "\n\n", ct);
        var firstArrived = DateTimeOffset.UtcNow;
        Assert.StartsWith("event: message_start\n", firstEvent, StringComparison.Ordinal);
        var rest = await new StreamReader(stream).ReadToEndAsync(ct);

        Assert.EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", rest, StringComparison.Ordinal);
        await script.Completion.WaitAsync(WaitTimeout, ct);
        var flushes = script.FlushTimes;
        Assert.Equal(3, flushes.Count);
        // The first event reached the client well before the last one was even written.
        Assert.True(firstArrived < flushes[2], $"first event arrived at {firstArrived:O}, last flush at {flushes[2]:O}");
        Assert.True(flushes[2] - flushes[0] >= gap, "events were not spaced by their delays");
    }

    [Fact]
    public async Task Gzip_ClientReceivesExactlyTheSentBytes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);
        var json = Encoding.UTF8.GetBytes("""{"type":"message","content":[{"type":"text","text":"zipped"}]}""");
        var script = server.Enqueue(FakeResponse.Gzip(200, json));

        using var response = await client.GetAsync(new Uri(server.BaseUri, "/anything"), ct);
        var received = await response.Content.ReadAsByteArrayAsync(ct);

        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal(script.SentBody, received);
        Assert.Equal(received.Length, response.Content.Headers.ContentLength);
        using var unzip = new GZipStream(new MemoryStream(received), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await unzip.CopyToAsync(plain, ct);
        Assert.Equal(json, plain.ToArray());
    }

    [Fact]
    public async Task NeverAnswer_IsReleasedWhenTheServerIsDisposed()
    {
        var ct = TestContext.Current.CancellationToken;
        var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);
        server.Enqueue(FakeResponse.NeverAnswer());

        var pending = client.GetAsync(new Uri(server.BaseUri, "/v1/models"), ct);
        var recorded = await server.WaitForRequestAsync(0, WaitTimeout);
        await Task.Delay(100, ct);
        Assert.False(pending.IsCompleted);

        var clock = Stopwatch.StartNew();
        await server.DisposeAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => pending.WaitAsync(WaitTimeout, ct));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"release took {clock.Elapsed}");
        Assert.True(recorded.Aborted.IsCompleted);
        Assert.False(File.Exists(server.CaFilePath));
    }

    [Fact]
    public async Task ClientDisconnect_IsObservedAsAbortWithinOneSecond()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);
        server.Enqueue(FakeResponse.SilenceAfter([SseChunk.Event("message_start", "{}")]));

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var response = await client.GetAsync(new Uri(server.BaseUri, "/v1/messages"), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        var recorded = await server.WaitForRequestAsync(0, WaitTimeout);
        Assert.False(recorded.Aborted.IsCompleted);

        var closedAt = DateTimeOffset.UtcNow;
        response.Dispose();
        await recorded.Aborted.WaitAsync(WaitTimeout, ct);

        Assert.True(recorded.AbortedAt - closedAt < TimeSpan.FromSeconds(1), $"abort seen after {recorded.AbortedAt - closedAt}");
    }

    [Fact]
    public async Task CutStream_FailsTheClientRead()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);
        server.Enqueue(FakeResponse.CutStreamAfterFirstDelta());

        using var response = await client.GetAsync(new Uri(server.BaseUri, "/v1/messages"), HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(ct);

        var failure = await Record.ExceptionAsync(() => new StreamReader(stream).ReadToEndAsync(ct));
        Assert.True(failure is IOException or HttpRequestException, $"unexpected {failure}");
    }

    [Fact]
    public async Task ClientTrustingAnotherCa_FailsTls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(ct: ct);
        using var otherCa = new TestCertificateAuthority("Unrelated CA");
        var otherPem = Path.Combine(Path.GetTempPath(), $"other-ca-{Guid.NewGuid():N}.pem");
        otherCa.WriteCaPem(otherPem);
        try
        {
            using var client = TrustingHttpClient.Create(otherPem);
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.BaseUri, ct));
            Assert.IsType<AuthenticationException>(failure.InnerException);
            Assert.Empty(server.Requests);
        }
        finally
        {
            File.Delete(otherPem);
        }
    }

    [Fact]
    public async Task WrongHostAndExpiredCertificates_FailTls()
    {
        var ct = TestContext.Current.CancellationToken;
        using var ca = new TestCertificateAuthority();
        using var wrongHost = ca.IssueWrongHostCertificate();
        using var expired = ca.IssueExpiredCertificate();
        foreach (var certificate in new[] { wrongHost, expired })
        {
            await using var server = await FakeUpstreamServer.StartAsync(new FakeUpstreamOptions { Authority = ca, ServerCertificate = certificate }, ct);
            using var client = TrustingHttpClient.Create(server.CaFilePath);
            var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.BaseUri, ct));
            Assert.IsType<AuthenticationException>(failure.InnerException);
        }
    }

    [Fact]
    public async Task ControlEndpoints_ScriptAStatusAndAreNotRecorded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(new FakeUpstreamOptions { EnableControlEndpoints = true }, ct);
        using var client = TrustingHttpClient.Create(server.CaFilePath);

        using var enqueued = await client.PostAsync(
            new Uri(server.BaseUri, "/_fake/enqueue"),
            new StringContent("""{"kind":"status","status":529,"body":"{\"type\":\"error\"}","headers":{"retry-after":"1"}}"""),
            ct);
        Assert.Equal(HttpStatusCode.OK, enqueued.StatusCode);
        using var scripted = await client.PostAsync(new Uri(server.BaseUri, "/v1/messages"), new StringContent("{}"), ct);
        var recordings = JsonNode.Parse(await client.GetStringAsync(new Uri(server.BaseUri, "/_fake/requests"), ct))!;

        Assert.Equal(529, (int)scripted.StatusCode);
        Assert.Equal("1", Assert.Single(scripted.Headers.GetValues("retry-after")));
        Assert.Equal("""{"type":"error"}""", await scripted.Content.ReadAsStringAsync(ct));
        var only = Assert.Single(recordings["requests"]!.AsArray())!;
        Assert.Equal("/v1/messages", (string?)only["path"]);
        Assert.Equal(Convert.ToBase64String("{}"u8), (string?)only["body"]);
    }

    private static async Task<string> ReadUntilAsync(Stream stream, string terminator, CancellationToken ct)
    {
        var text = new StringBuilder();
        var buffer = new byte[1];
        while (!text.ToString().EndsWith(terminator, StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, ct) == 0)
            {
                break;
            }

            text.Append((char)buffer[0]);
        }

        return text.ToString();
    }
}
