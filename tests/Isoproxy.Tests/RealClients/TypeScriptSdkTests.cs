using System.Text;
using System.Text.Json;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// Both TypeScript SDK generations, unmodified, through the proxy: 1.12.0 (Authorization: Bearer,
/// anthropic-version 2026-10-21) and 0.137.0 (x-api-key, 2023-06-01).
/// </summary>
[Collection(RealClientsCollection.Name)]
public sealed class TypeScriptSdkTests
{
    [Theory]
    [InlineData(SdkDriver.Sdk112)]
    [InlineData(SdkDriver.Sdk0137)]
    public async Task Create_NonStreaming_MessageEqualsUpstreamReply(string sdk)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        var responder = (ScriptedConversationResponder)env.Upstream.DefaultResponder;

        var output = await SdkDriver.RunAsync(sdk, "create", env.ProxyUri, ct);

        Assert.True(output.Ok, output.ToString());
        var received = Assert.Single(env.Upstream.Requests);
        var reply = responder.Replies[received.Index];
        Assert.False(reply.Streamed);
        Assert.Equal(MessageShape.Of(reply.Message), MessageShape.Of(output.Result));
        AssertBothEnds(sdk, output, env);
    }

    [Theory]
    [InlineData(SdkDriver.Sdk112, "stream-text", "text_delta")]
    [InlineData(SdkDriver.Sdk0137, "stream-text", "text_delta")]
    [InlineData(SdkDriver.Sdk112, "stream-tool", "input_json_delta")]
    [InlineData(SdkDriver.Sdk0137, "stream-tool", "input_json_delta")]
    [InlineData(SdkDriver.Sdk112, "stream-thinking", "signature_delta")]
    [InlineData(SdkDriver.Sdk0137, "stream-thinking", "signature_delta")]
    public async Task Stream_TextToolOrThinking_AssembledMessageEqualsUpstreamReply(string sdk, string scenario, string deltaType)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        var responder = (ScriptedConversationResponder)env.Upstream.DefaultResponder;

        var output = await SdkDriver.RunAsync(sdk, scenario, env.ProxyUri, ct);

        Assert.True(output.Ok, output.ToString());
        var received = Assert.Single(env.Upstream.Requests);
        var reply = responder.Replies[received.Index];
        Assert.True(reply.Streamed && reply.Written);
        Assert.Equal(MessageShape.Of(reply.Message), MessageShape.Of(output.Result.GetProperty("message")));
        var deltas = output.Result.GetProperty("deltaTypes").EnumerateArray().Select(d => d.GetString()).ToList();
        Assert.Contains(deltaType, deltas);
        if (deltaType == "input_json_delta")
        {
            Assert.True(deltas.Count(d => d == deltaType) > 1, "the tool input should arrive as several partial JSON pieces");
        }

        Assert.Equal("message_stop", output.Result.GetProperty("eventTypes").EnumerateArray().Last().GetString());
        AssertBothEnds(sdk, output, env);
    }

    [Theory]
    [InlineData(SdkDriver.Sdk112)]
    [InlineData(SdkDriver.Sdk0137)]
    public async Task CountTokens_ReturnsUpstreamCount(string sdk)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);

        var output = await SdkDriver.RunAsync(sdk, "count-tokens", env.ProxyUri, ct);

        Assert.True(output.Ok, output.ToString());
        var received = Assert.Single(env.Upstream.Requests);
        Assert.Equal("/v1/messages/count_tokens", received.Path);
        Assert.Equal(AnthropicResponder.EstimateTokens(received.Body), output.Result.GetProperty("input_tokens").GetInt32());
        AssertBothEnds(sdk, output, env);
    }

    [Theory]
    [InlineData(SdkDriver.Sdk112)]
    [InlineData(SdkDriver.Sdk0137)]
    public async Task ModelsList_ReturnsUpstreamModels(string sdk)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        string[] models = ["claude-fake-1", "claude-fake-2-large", "claude-fake-3-small"];
        ((AnthropicResponder)env.Upstream.DefaultResponder).ModelIds = models;

        var output = await SdkDriver.RunAsync(sdk, "models", env.ProxyUri, ct);

        Assert.True(output.Ok, output.ToString());
        Assert.Equal(models, output.Result.GetProperty("ids").EnumerateArray().Select(e => e.GetString()!));
        Assert.All(env.Upstream.Requests, r => Assert.Equal("GET", r.Method));
        AssertBothEnds(sdk, output, env);
    }

    [Theory]
    [InlineData(SdkDriver.Sdk112)]
    [InlineData(SdkDriver.Sdk0137)]
    public async Task BetaHeaderAndUnknownBodyField_ArriveUnchanged(string sdk)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);

        var output = await SdkDriver.RunAsync(sdk, "beta-unknown", env.ProxyUri, ct);

        Assert.True(output.Ok, output.ToString());
        var received = Assert.Single(env.Upstream.Requests);
        Assert.Equal("future-feature-2099-01-01", received.GetHeader("anthropic-beta"));
        var field = JsonDocument.Parse(received.Body).RootElement.GetProperty("future_field_isoproxy");
        Assert.Equal("""{"nested":[1,"two",{"three":true}]}""", field.GetRawText());
        AssertBothEnds(sdk, output, env);
    }

    [Theory]
    [InlineData(SdkDriver.Sdk112)]
    [InlineData(SdkDriver.Sdk0137)]
    public async Task Overloaded529_RetryCountEqualWithAndWithoutProxy(string sdk)
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

        Script(env.Upstream);
        var direct = await SdkDriver.RunAsync(sdk, "retry", env.Upstream.BaseUri, ct, env.Upstream.CaFilePath);
        var directCount = env.Upstream.Requests.Count;
        Script(env.Upstream);
        var proxied = await SdkDriver.RunAsync(sdk, "retry", env.ProxyUri, ct);

        Assert.False(direct.Ok, direct.ToString());
        Assert.False(proxied.Ok, proxied.ToString());
        Assert.Equal(529, direct.ErrorStatus);
        Assert.Equal(529, proxied.ErrorStatus);
        Assert.Equal(3, directCount); // the SDK's default: one try and two retries
        Assert.Equal(directCount, env.Upstream.Requests.Count);
        Assert.Equal(["0", "1", "2"], env.Upstream.Requests.Select(r => r.GetHeader("x-stainless-retry-count")));
        AssertBothEnds(sdk, proxied, env);
    }

    [Theory]
    [InlineData(SdkDriver.Sdk112)]
    [InlineData(SdkDriver.Sdk0137)]
    public async Task RateLimited429WithRetryAfter_RetryCountAndDelayEqualWithAndWithoutProxy(string sdk)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        // retry-after: 2 is far above the SDK's own first back-off (~0.5 s): honouring it shows the header arrived.
        static void Script(FakeUpstreamServer upstream)
        {
            upstream.Reset();
            upstream.Enqueue(FakeResponse.Error(429, "rate_limit_error", "Slow down", ("retry-after", "2")));
        }

        Script(env.Upstream);
        var direct = await SdkDriver.RunAsync(sdk, "retry", env.Upstream.BaseUri, ct, env.Upstream.CaFilePath);
        var directRequests = env.Upstream.Requests;
        Script(env.Upstream);
        var proxied = await SdkDriver.RunAsync(sdk, "retry", env.ProxyUri, ct);
        var proxiedRequests = env.Upstream.Requests;

        Assert.True(direct.Ok, direct.ToString());
        Assert.True(proxied.Ok, proxied.ToString());
        Assert.Equal(2, directRequests.Count);
        Assert.Equal(directRequests.Count, proxiedRequests.Count);
        foreach (var requests in new[] { directRequests, proxiedRequests })
        {
            var gap = requests[1].ReceivedAt - requests[0].ReceivedAt;
            Assert.True(gap >= TimeSpan.FromMilliseconds(1900), $"the retry came {gap.TotalMilliseconds:0} ms after the 429; retry-after asked for 2 s");
        }

        AssertBothEnds(sdk, proxied, env);
    }

    [Theory]
    [InlineData(SdkDriver.Sdk112)]
    [InlineData(SdkDriver.Sdk0137)]
    public async Task GzipReply_DecodedMessageEqualsUpstreamJson(string sdk)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await StartAsync(ct);
        var message = AnthropicEvents.Message(
            AnthropicEvents.NewMessageId(), AnthropicEvents.DefaultModel, [AnthropicEvents.TextBlock(new string('z', 2000) + " compressed")], "end_turn", 5, 7);
        var scripted = env.Upstream.Enqueue(FakeResponse.Gzip(200, Encoding.UTF8.GetBytes(message.ToJsonString()), ("request-id", "req_gzip")));

        var output = await SdkDriver.RunAsync(sdk, "gzip", env.ProxyUri, ct);

        Assert.True(output.Ok, output.ToString());
        Assert.Equal(MessageShape.Of(message), MessageShape.Of(output.Result));
        Assert.Equal([0x1f, 0x8b], scripted.SentBody.Take(2));
        var received = Assert.Single(env.Upstream.Requests);
        Assert.Contains("gzip", received.GetHeader("accept-encoding") ?? string.Empty, StringComparison.Ordinal);
        AssertBothEnds(sdk, output, env);
    }

    private static async Task<ProxyTestEnvironment> StartAsync(CancellationToken ct)
    {
        var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        env.Upstream.DefaultResponder = new ScriptedConversationResponder();
        return env;
    }

    /// <summary>The SDK sent its own credential form and version; the upstream got every request faithfully.</summary>
    private static void AssertBothEnds(string sdk, DriverOutput output, ProxyTestEnvironment env)
    {
        var sent = output.Sent;
        foreach (var request in sent)
        {
            if (sdk == SdkDriver.Sdk112)
            {
                Assert.Equal("Bearer " + PassThroughAssertions.ClientKey, request.GetHeader("authorization"));
                Assert.Null(request.GetHeader("x-api-key"));
                Assert.Equal("2026-10-21", request.GetHeader("anthropic-version"));
            }
            else
            {
                Assert.Equal(PassThroughAssertions.ClientKey, request.GetHeader("x-api-key"));
                Assert.Null(request.GetHeader("authorization"));
                Assert.Equal("2023-06-01", request.GetHeader("anthropic-version"));
            }
        }

        PassThroughAssertions.AssertForwardedFaithfully(sent, env.Upstream.Requests);
    }
}
