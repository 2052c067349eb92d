using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>Bodies cross the proxy byte for byte, in both directions.</summary>
public sealed class BodyFidelityTests
{
    public static TheoryData<string, string> UnusualJsonBodies => new()
    {
        // Fields no proxy knows yet, in an order a serializer would not keep.
        { "unknown fields and key order", """{"zeta":1,"model":"claude-x","messages":[],"max_tokens":5,"context_management":{"edits":[{"type":"clear"}]},"alpha":{"nested":[true,null]}}""" },
        // Whitespace that re-serialization would remove.
        { "whitespace", "{\n  \"model\" :\t\"claude-x\" ,\r\n  \"max_tokens\":   5 , \"messages\":[ ]\n}\n" },
        // Escapes that a parser would decode and a writer re-encode differently.
        { "unicode escapes", """{"model":"claude-x","messages":[{"role":"user","content":"caf\u00e9 \ud83d\ude00 \/ \" é 😀"}],"max_tokens":5}""" },
        // Numbers beyond double precision and in exponent form.
        { "large numbers", """{"model":"claude-x","max_tokens":123456789012345678901234567890,"temperature":1.0000000000000000001,"top_k":1e400,"messages":[]}""" },
        // Duplicate keys: a parser keeps one, the bytes keep both.
        { "duplicate keys", """{"model":"a","model":"b","messages":[],"max_tokens":1}""" },
    };

    [Theory]
    [MemberData(nameof(UnusualJsonBodies))]
    public async Task RequestBody_UnusualJson_ArrivesUpstreamByteForByte(string description, string json)
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        env.Upstream.Enqueue(FakeResponse.Json(200, """{"ok":true}"""));
        var sent = Encoding.UTF8.GetBytes(json);

        using var content = new ByteArrayContent(sent);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await env.Client.PostAsync("/v1/messages?beta=true", content, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        var received = Assert.Single(env.Upstream.Requests);
        Assert.True(received.BodyComplete, description);
        Assert.Equal(Hashing.Sha256(sent), received.BodySha256);
        Assert.Equal(sent.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), received.GetHeader("content-length"));
    }

    [Fact]
    public async Task RequestBody_LargeBinaryish_ArrivesUpstreamByteForByte()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));
        // 3 MB with every byte value: far past any single buffer.
        var sent = new byte[3 * 1024 * 1024];
        for (var i = 0; i < sent.Length; i++)
        {
            sent[i] = (byte)(i * 31 % 251);
        }

        using var response = await env.Client.PostAsync("/v1/messages", new ByteArrayContent(sent), TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(Hashing.Sha256(sent), Assert.Single(env.Upstream.Requests).BodySha256);
    }

    [Fact]
    public async Task ResponseBody_Json_ReachesClientByteForByteWithHeaders()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var body = """{"id":"msg_1","type":"message","content":[{"type":"text","text":"h\u00e9llo"}],  "unknown_field":{"x":[1,2]}}""";
        var scripted = env.Upstream.Enqueue(FakeResponse.Json(200, body, ("request-id", "req_abc"), ("anthropic-ratelimit-requests-remaining", "99"), ("x-custom-upstream", "kept")));

        using var response = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken);
        var received = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(Hashing.Sha256(scripted.SentBody), Hashing.Sha256(received));
        Assert.Equal("req_abc", Assert.Single(response.Headers.GetValues("request-id")));
        Assert.Equal("99", Assert.Single(response.Headers.GetValues("anthropic-ratelimit-requests-remaining")));
        Assert.Equal("kept", Assert.Single(response.Headers.GetValues("x-custom-upstream")));
        Assert.False(response.Headers.Contains("x-isoproxy-error"));
    }

    [Fact]
    public async Task ResponseBody_Gzip_RelayedCompressedWithItsContentEncoding()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var json = Encoding.UTF8.GetBytes("""{"type":"message","content":[{"type":"text","text":"compressed reply"}]}""");
        var scripted = env.Upstream.Enqueue(FakeResponse.Gzip(200, json));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("accept-encoding", "gzip, deflate, br, zstd");
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var received = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        // The client gets the upstream's compressed bytes and the header that says so: never decompressed.
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        Assert.Equal(Hashing.Sha256(scripted.SentBody), Hashing.Sha256(received));
        using var gunzip = new GZipStream(new MemoryStream(received), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gunzip.CopyToAsync(plain, TestContext.Current.CancellationToken);
        Assert.Equal(json, plain.ToArray());
        // The client's accept-encoding reached the upstream unchanged.
        Assert.Equal("gzip, deflate, br, zstd", Assert.Single(env.Upstream.Requests).GetHeader("accept-encoding"));
    }

    [Theory]
    // Claude Code reads the upstream's error text to recover; each must arrive untouched.
    [InlineData(400, "invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum")]
    [InlineData(401, "authentication_error", "invalid x-api-key")]
    [InlineData(429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")]
    [InlineData(529, "overloaded_error", "Overloaded")]
    [InlineData(500, "api_error", "Internal server error")]
    public async Task UpstreamError_PassesThroughByteForByteWithHeaders(int status, string type, string message)
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        var scripted = env.Upstream.Enqueue(FakeResponse.Error(status, type, message,
            ("retry-after", "7"), ("x-should-retry", "false"), ("request-id", "req_err_1"), ("anthropic-ratelimit-tokens-reset", "2026-11-24T00:00:00Z")));

        using var response = await env.Client.PostAsync("/v1/messages", new StringContent("{}"), TestContext.Current.CancellationToken);
        var received = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(Hashing.Sha256(scripted.SentBody), Hashing.Sha256(received));
        Assert.Equal("7", Assert.Single(response.Headers.GetValues("retry-after")));
        Assert.Equal("false", Assert.Single(response.Headers.GetValues("x-should-retry")));
        Assert.Equal("req_err_1", Assert.Single(response.Headers.GetValues("request-id")));
        Assert.Equal("2026-11-24T00:00:00Z", Assert.Single(response.Headers.GetValues("anthropic-ratelimit-tokens-reset")));
        // Relayed, not made by the proxy, and sent once: no retry.
        Assert.False(response.Headers.Contains("x-isoproxy-error"));
        Assert.Single(env.Upstream.Requests);
    }
}
