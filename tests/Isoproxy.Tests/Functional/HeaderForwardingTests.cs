using System.Text;
using Isoproxy.Configuration;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>Which headers cross the proxy, checked on the wire at both ends.</summary>
public sealed class HeaderForwardingTests
{
    private const string Body = """{"model":"claude-x","max_tokens":1,"messages":[]}""";

    /// <summary>What Claude Code sends, plus hop-by-hop headers and every client credential form.</summary>
    private static string ClaudeCodeLikeRequest(string target) =>
        $"POST {target} HTTP/1.1\r\n" +
        "Host: 127.0.0.1:9000\r\n" +
        "anthropic-version: 2023-06-01\r\n" +
        "anthropic-beta: claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,some-flag-from-the-future-2027-01-01\r\n" +
        "anthropic-dangerous-direct-browser-access: true\r\n" +
        "x-app: cli\r\n" +
        "x-claude-code-session-id: 3f1c7a52-session\r\n" +
        "x-stainless-timeout: 600\r\n" +
        "x-stainless-retry-count: 0\r\n" +
        "User-Agent: claude-cli/2.1.330 (external, cli)\r\n" +
        "accept-encoding: gzip, deflate, br, zstd\r\n" +
        "X-Unknown-Header: Keep Me Exactly\r\n" +
        "x-api-key: client-placeholder-key\r\n" +
        "Authorization: Bearer client-placeholder-token\r\n" +
        "Proxy-Authorization: Basic Zm9vOmJhcg==\r\n" +
        "Cookie: session=client-cookie\r\n" +
        "Keep-Alive: timeout=5\r\n" +
        "TE: trailers\r\n" +
        "X-Hop-Only: for the proxy alone\r\n" +
        "Connection: TE, X-Hop-Only\r\n" +
        "Content-Type: application/json\r\n" +
        $"Content-Length: {Encoding.UTF8.GetByteCount(Body)}\r\n" +
        "\r\n" +
        Body;

    [Fact]
    public async Task RequestHeaders_ForwardedExceptHopByHopAndCredentials_KeyInjected()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));

        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, ClaudeCodeLikeRequest("/v1/messages?beta=true"), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, RawHttp.StatusOf(response));
        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal("/v1/messages", upstream.Path);
        Assert.Equal("?beta=true", upstream.QueryString);

        var expected = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["host"] = $"localhost:{env.Upstream.Port}",
            ["anthropic-version"] = "2023-06-01",
            ["anthropic-beta"] = "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,some-flag-from-the-future-2027-01-01",
            ["anthropic-dangerous-direct-browser-access"] = "true",
            ["x-app"] = "cli",
            ["x-claude-code-session-id"] = "3f1c7a52-session",
            ["x-stainless-timeout"] = "600",
            ["x-stainless-retry-count"] = "0",
            ["user-agent"] = "claude-cli/2.1.330 (external, cli)",
            ["accept-encoding"] = "gzip, deflate, br, zstd",
            ["x-unknown-header"] = "Keep Me Exactly",
            ["content-type"] = "application/json",
            ["content-length"] = Encoding.UTF8.GetByteCount(Body).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The only credential upstream: the provider's, injected by the proxy.
            ["x-api-key"] = ProxyTestEnvironment.UpstreamKey,
        };
        var actual = new SortedDictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in upstream.Headers)
        {
            actual[name] = value;
        }
        // Exactly these: nothing dropped, nothing added (no X-Forwarded-*, traceparent, Via, cookies).
        Assert.Equal(Render(expected), Render(actual));
        Assert.Equal(Hashing.Sha256(Encoding.UTF8.GetBytes(Body)), upstream.BodySha256);
    }

    private static string Render(SortedDictionary<string, string> headers) =>
        string.Join("\n", headers.Select(h => $"{h.Key.ToLowerInvariant()}: {h.Value}"));

    [Fact]
    public async Task BearerAuthProvider_KeySentAsBearer_ClientCredentialsNeverForwarded()
    {
        await using var env = await ProxyTestEnvironment.StartAsync(
            config => config with { Providers = [config.Providers[0] with { Auth = UpstreamAuth.Bearer }] },
            cancellationToken: TestContext.Current.CancellationToken);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(Body) };
        // The newest SDKs send Bearer, older ones and Claude Code x-api-key: send both.
        request.Headers.TryAddWithoutValidation("authorization", "Bearer client-token-must-not-leak");
        request.Headers.TryAddWithoutValidation("x-api-key", "client-key-must-not-leak");
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal($"Bearer {ProxyTestEnvironment.UpstreamKey}", upstream.GetHeader("authorization"));
        Assert.False(upstream.HasHeader("x-api-key"));
        Assert.DoesNotContain(upstream.Headers, h => h.Value.Contains("must-not-leak", StringComparison.Ordinal));
    }

    [Theory]
    // The query string is forwarded verbatim, whatever it holds.
    [InlineData("?beta=true")]
    [InlineData("?limit=1000")]
    [InlineData("?beta=true&x=%2F%20a+b&empty=&flag")]
    [InlineData("")]
    public async Task QueryString_ForwardedVerbatim(string query)
    {
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: TestContext.Current.CancellationToken);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));

        var request = $"GET /v1/models{query} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, request, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(200, RawHttp.StatusOf(response));
        Assert.Equal(query, Assert.Single(env.Upstream.Requests).QueryString);
    }

    [Fact]
    public async Task ResponseHeaders_SameAsDirectFromUpstream_NothingAddedOrDropped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        (string, string)[] upstreamHeaders =
        [
            ("request-id", "req_1"),
            ("anthropic-ratelimit-requests-remaining", "99"),
            ("retry-after", "3"),
            ("x-should-retry", "true"),
            ("x-unknown-upstream-header", "kept"),
        ];
        env.Upstream.Enqueue(FakeResponse.Json(200, """{"ok":true}""", upstreamHeaders));
        env.Upstream.Enqueue(FakeResponse.Json(200, """{"ok":true}""", upstreamHeaders));

        using var direct = TrustingHttpClient.Create(env.Upstream.CaFilePath);
        using var fromUpstream = await direct.PostAsync(new Uri(env.Upstream.BaseUri, "/v1/messages"), new StringContent(Body), ct);
        using var viaProxy = await env.Client.PostAsync("/v1/messages", new StringContent(Body), ct);

        // Every header the upstream sent, and no other (Date differs by the clock only).
        Assert.Equal(HeaderLines(fromUpstream), HeaderLines(viaProxy));
    }

    [Fact]
    public async Task RoutingOverrideAndForwardingClaimHeaders_NeverReachTheUpstream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));

        var request =
            "POST /v1/messages HTTP/1.1\r\n" +
            "Host: x\r\n" +
            "X-HTTP-Method-Override: DELETE\r\n" +
            "X-HTTP-Method: PUT\r\n" +
            "X-Method-Override: PATCH\r\n" +
            "X-Original-URL: /admin\r\n" +
            "X-Rewrite-URL: /v1/files\r\n" +
            "Forwarded: for=203.0.113.9;host=evil.example\r\n" +
            "X-Forwarded-For: 203.0.113.9\r\n" +
            "X-Forwarded-Host: evil.example\r\n" +
            "X-Forwarded-Proto: http\r\n" +
            "X-Real-IP: 203.0.113.9\r\n" +
            "Via: 1.1 evil\r\n" +
            "anthropic-version: 2023-06-01\r\n" +
            "Connection: close\r\n" +
            $"Content-Length: {Body.Length}\r\n" +
            "\r\n" +
            Body;
        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, request, cancellationToken: ct);

        Assert.Equal(200, RawHttp.StatusOf(response));
        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal("POST", upstream.Method);
        Assert.Equal(
            ["anthropic-version", "content-length", "host", "x-api-key"],
            upstream.Headers.Select(h => h.Key.ToLowerInvariant()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UpstreamsOwnReasonHeader_IsRemoved_OtherHeadersRelayed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        env.Upstream.Enqueue(FakeResponse.Error(429, "rate_limit_error", "slow down", ("x-isoproxy-error", "concurrency_limit"), ("x-should-retry", "true")));

        using var response = await env.Client.PostAsync("/v1/messages", new StringContent(Body), ct);

        Assert.Equal(429, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("x-isoproxy-error"));
        Assert.Equal("true", Assert.Single(response.Headers.GetValues("x-should-retry")));
    }

    private static string HeaderLines(HttpResponseMessage response) =>
        string.Join("\n", response.Headers.Concat(response.Content.Headers)
            .Where(h => !h.Key.Equals("date", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(", ", h.Value)}")
            .Order(StringComparer.Ordinal));
}
