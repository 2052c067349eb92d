using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Helpers;
using Anthropic.Models.Messages;
using Anthropic.Models.Models;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;
using BetaMessageCreateParams = Anthropic.Models.Beta.Messages.MessageCreateParams;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// The .NET SDK (NuGet Anthropic 13.12.0) through the proxy. Its requests are recorded by a
/// handler in front of the socket handler, so the tests see exactly what the SDK sent.
/// </summary>
[Collection(RealClientsCollection.Name)]
public sealed class DotNetSdkTests
{
    private const string Model = "claude-fake-1";

    [Fact]
    public async Task Create_NonStreaming_MessageEqualsUpstreamReply()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        using var client = SdkClient.ThroughProxy(env);

        var message = await client.Sdk.Messages.Create(MessageParams("""{"max_tokens":64,"messages":[{"role":"user","content":"Say hello."}]}"""), ct);

        var received = Assert.Single(env.Upstream.Requests);
        var reply = Responder(env).Replies[received.Index];
        Assert.False(reply.Streamed);
        Assert.Equal(MessageShape.Of(reply.Message), MessageShape.Of(ToJson(message)));
        AssertBothEnds(client, env);
    }

    [Theory]
    [InlineData("[text] Say hello in several words.")]
    [InlineData("[tool] What is the weather in Lisbon?")]
    [InlineData("[thinking] Think, then answer.")]
    public async Task CreateStreaming_TextToolOrThinking_AssembledMessageEqualsUpstreamReply(string prompt)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        using var client = SdkClient.ThroughProxy(env);
        var body = new Dictionary<string, object>
        {
            ["max_tokens"] = 2048,
            ["messages"] = new[] { new { role = "user", content = prompt } },
        };
        if (prompt.StartsWith("[tool]", StringComparison.Ordinal))
        {
            body["tools"] = new[]
            {
                new
                {
                    name = "get_weather",
                    description = "Weather for a city.",
                    input_schema = new { type = "object", properties = new { city = new { type = "string" } }, required = new[] { "city" } },
                },
            };
        }

        if (prompt.StartsWith("[thinking]", StringComparison.Ordinal))
        {
            body["thinking"] = new { type = "enabled", budget_tokens = 1024 };
        }

        var deltaTypes = new List<string>();
        var aggregator = new MessageContentAggregator();
        await foreach (var unused in aggregator.CollectAsync(
            Observe(client.Sdk.Messages.CreateStreaming(MessageParams(JsonSerializer.Serialize(body)), ct), deltaTypes)))
        {
            // The aggregator collects while the events flow.
        }

        var assembled = aggregator.Message();

        var received = Assert.Single(env.Upstream.Requests);
        var reply = Responder(env).Replies[received.Index];
        Assert.True(reply.Streamed && reply.Written);
        Assert.Equal(MessageShape.Of(reply.Message), MessageShape.Of(ToJson(assembled)));
        var expectedDelta = prompt[1..prompt.IndexOf(']', StringComparison.Ordinal)] switch
        {
            "tool" => "input_json_delta",
            "thinking" => "signature_delta",
            _ => "text_delta",
        };
        Assert.Contains(expectedDelta, deltaTypes);
        AssertBothEnds(client, env);
    }

    [Fact]
    public async Task CountTokens_ReturnsUpstreamCount()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        using var client = SdkClient.ThroughProxy(env);

        var count = await client.Sdk.Messages.CountTokens(
            MessageCountTokensParams.FromRawUnchecked(Empty, Empty, Raw($$"""{"model":"{{Model}}","messages":[{"role":"user","content":"Count these tokens."}]}""")),
            ct);

        var received = Assert.Single(env.Upstream.Requests);
        Assert.Equal("/v1/messages/count_tokens", received.Path);
        Assert.Equal(AnthropicResponder.EstimateTokens(received.Body), count.InputTokens);
        AssertBothEnds(client, env);
    }

    [Fact]
    public async Task ModelsList_ReturnsUpstreamModels()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        string[] models = ["claude-fake-1", "claude-fake-2-large", "claude-fake-3-small"];
        Responder(env).ModelIds = models;
        using var client = SdkClient.ThroughProxy(env);

        var page = await client.Sdk.Models.List(new ModelListParams(), ct);

        Assert.Equal(models, page.Items.Select(m => m.ID));
        Assert.All(env.Upstream.Requests, r => Assert.Equal("GET", r.Method));
        AssertBothEnds(client, env);
    }

    [Fact]
    public async Task BetaHeaderAndUnknownBodyField_ArriveUnchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        using var client = SdkClient.ThroughProxy(env);
        var parameters = BetaMessageCreateParams.FromRawUnchecked(
            Raw("""{"anthropic-beta":["future-feature-2099-01-01"]}"""),
            Empty,
            Raw($$$"""{"model":"{{{Model}}}","max_tokens":64,"messages":[{"role":"user","content":"Beta request."}],"future_field_isoproxy":{"nested":[1,"two",{"three":true}]}}"""));

        await client.Sdk.Beta.Messages.Create(parameters, ct);

        var received = Assert.Single(env.Upstream.Requests);
        Assert.Contains("future-feature-2099-01-01", received.GetHeader("anthropic-beta") ?? string.Empty, StringComparison.Ordinal);
        var field = JsonDocument.Parse(received.Body).RootElement.GetProperty("future_field_isoproxy");
        Assert.Equal("""{"nested":[1,"two",{"three":true}]}""", field.GetRawText());
        AssertBothEnds(client, env);
    }

    [Fact]
    public async Task Overloaded529_RetryCountEqualWithAndWithoutProxy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        static void Script(FakeUpstreamServer upstream)
        {
            upstream.Reset();
            for (var i = 0; i < 10; i++)
            {
                upstream.Enqueue(FakeResponse.Error(529, "overloaded_error", "Overloaded"));
            }
        }

        var parameters = MessageParams("""{"max_tokens":64,"messages":[{"role":"user","content":"Retry me."}]}""");
        Script(env.Upstream);
        using (var direct = SdkClient.Direct(env))
        {
            var directError = await Assert.ThrowsAnyAsync<Exception>(() => direct.Sdk.Messages.Create(parameters, ct));
            Assert.Contains("529", directError.ToString(), StringComparison.Ordinal);
        }

        var directCount = env.Upstream.Requests.Count;
        Script(env.Upstream);
        using var proxied = SdkClient.ThroughProxy(env);
        var proxiedError = await Assert.ThrowsAnyAsync<Exception>(() => proxied.Sdk.Messages.Create(parameters, ct));

        Assert.Contains("529", proxiedError.ToString(), StringComparison.Ordinal);
        Assert.Equal(3, directCount); // the SDK's default: one try and two retries
        Assert.Equal(directCount, env.Upstream.Requests.Count);
        AssertBothEnds(proxied, env);
    }

    [Fact]
    public async Task RateLimited429WithRetryAfter_RetryCountAndDelayEqualWithAndWithoutProxy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        static void Script(FakeUpstreamServer upstream)
        {
            upstream.Reset();
            upstream.Enqueue(FakeResponse.Error(429, "rate_limit_error", "Slow down", ("retry-after", "2")));
        }

        var parameters = MessageParams("""{"max_tokens":64,"messages":[{"role":"user","content":"Retry me."}]}""");
        Script(env.Upstream);
        using (var direct = SdkClient.Direct(env))
        {
            await direct.Sdk.Messages.Create(parameters, ct);
        }

        var directRequests = env.Upstream.Requests;
        Script(env.Upstream);
        using var proxied = SdkClient.ThroughProxy(env);
        await proxied.Sdk.Messages.Create(parameters, ct);
        var proxiedRequests = env.Upstream.Requests;

        Assert.Equal(2, directRequests.Count);
        Assert.Equal(directRequests.Count, proxiedRequests.Count);
        foreach (var requests in new[] { directRequests, proxiedRequests })
        {
            var gap = requests[1].ReceivedAt - requests[0].ReceivedAt;
            Assert.True(gap >= TimeSpan.FromMilliseconds(1900), $"the retry came {gap.TotalMilliseconds:0} ms after the 429; retry-after asked for 2 s");
        }

        AssertBothEnds(proxied, env);
    }

    [Fact]
    public async Task GzipReply_DecodedMessageEqualsUpstreamJson()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        var expected = AnthropicEvents.Message(
            AnthropicEvents.NewMessageId(), Model, [AnthropicEvents.TextBlock(new string('z', 2000) + " compressed")], "end_turn", 5, 7);
        var scripted = env.Upstream.Enqueue(FakeResponse.Gzip(200, Encoding.UTF8.GetBytes(expected.ToJsonString()), ("request-id", "req_gzip")));
        using var client = SdkClient.ThroughProxy(env);

        var message = await client.Sdk.Messages.Create(MessageParams("""{"max_tokens":64,"messages":[{"role":"user","content":"Compressed, please."}]}"""), ct);

        Assert.Equal(MessageShape.Of(expected), MessageShape.Of(ToJson(message)));
        Assert.Equal([0x1f, 0x8b], scripted.SentBody.Take(2));
        var received = Assert.Single(env.Upstream.Requests);
        Assert.Contains("gzip", received.GetHeader("accept-encoding") ?? string.Empty, StringComparison.Ordinal);
        AssertBothEnds(client, env);
    }

    private static readonly Dictionary<string, JsonElement> Empty = [];

    /// <summary>Passes the SDK's parsed events on unchanged, noting each delta's type.</summary>
    private static async IAsyncEnumerable<T> Observe<T>(IAsyncEnumerable<T> events, List<string> deltaTypes)
    {
        await foreach (var streamEvent in events)
        {
            var json = ToJson(streamEvent);
            if (json.GetProperty("type").GetString() == "content_block_delta")
            {
                deltaTypes.Add(json.GetProperty("delta").GetProperty("type").GetString()!);
            }

            yield return streamEvent;
        }
    }

    private static async Task<ProxyTestEnvironment> StartAsync(CancellationToken ct)
    {
        var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        env.Upstream.DefaultResponder = new ScriptedConversationResponder();
        return env;
    }

    private static ScriptedConversationResponder Responder(ProxyTestEnvironment env) => (ScriptedConversationResponder)env.Upstream.DefaultResponder;

    private static Dictionary<string, JsonElement> Raw(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    /// <summary>Parameters from raw JSON (the model added), so the body is exactly what the test says.</summary>
    private static MessageCreateParams MessageParams(string bodyJson)
    {
        var body = Raw(bodyJson);
        body["model"] = JsonSerializer.SerializeToElement(Model);
        return MessageCreateParams.FromRawUnchecked(Empty, Empty, body);
    }

    private static JsonElement ToJson<T>(T value) => JsonSerializer.SerializeToElement(value);

    /// <summary>The SDK sent Bearer and 2026-10-21; the upstream got every request faithfully.</summary>
    private static void AssertBothEnds(SdkClient client, ProxyTestEnvironment env)
    {
        foreach (var request in client.Sent)
        {
            Assert.Equal("Bearer " + PassThroughAssertions.ClientKey, request.GetHeader("authorization"));
            Assert.Null(request.GetHeader("x-api-key"));
            Assert.Equal("2026-10-21", request.GetHeader("anthropic-version"));
        }

        PassThroughAssertions.AssertForwardedFaithfully(client.Sent, env.Upstream.Requests);
    }

    /// <summary>An SDK client whose HTTP requests are recorded just before they leave.</summary>
    private sealed class SdkClient : IDisposable
    {
        private readonly RecordingHandler _recorder;
        private readonly HttpClient _http;

        private SdkClient(Uri baseUri, HttpMessageHandler inner)
        {
            _recorder = new RecordingHandler { InnerHandler = inner };
            _http = new HttpClient(_recorder) { Timeout = TimeSpan.FromSeconds(30) };
            Sdk = new AnthropicClient
            {
                ApiKey = PassThroughAssertions.ClientKey,
                BaseUrl = baseUri.ToString().TrimEnd('/'),
                HttpClient = _http,
            };
        }

        public AnthropicClient Sdk { get; }

        public IReadOnlyList<ClientRequest> Sent => _recorder.Sent;

        public static SdkClient ThroughProxy(ProxyTestEnvironment env) =>
            new(env.ProxyUri, new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.All });

        public static SdkClient Direct(ProxyTestEnvironment env)
        {
            var handler = TrustingHttpClient.CreateHandler(env.Upstream.CaFilePath);
            handler.AutomaticDecompression = DecompressionMethods.All;
            return new SdkClient(env.Upstream.BaseUri, handler);
        }

        public void Dispose() => _http.Dispose();
    }

    private sealed class RecordingHandler : DelegatingHandler
    {
        private readonly Lock _lock = new();
        private readonly List<ClientRequest> _sent = [];

        public IReadOnlyList<ClientRequest> Sent
        {
            get
            {
                lock (_lock)
                {
                    return [.. _sent];
                }
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            byte[] body = [];
            var headers = request.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))).ToList();
            if (request.Content is not null)
            {
                body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
                headers.AddRange(request.Content.Headers.SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v))));
            }

            lock (_lock)
            {
                _sent.Add(new ClientRequest(request.Method.Method, request.RequestUri!.PathAndQuery, headers, Hashing.Sha256(body), body.Length));
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
