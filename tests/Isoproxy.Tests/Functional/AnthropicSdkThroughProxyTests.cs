using Anthropic;
using Anthropic.Models.Messages;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>The official .NET SDK, unmodified, pointed at the proxy.</summary>
public sealed class AnthropicSdkThroughProxyTests
{
    private const string ClientPlaceholderKey = "client-placeholder-not-a-key";

    private static AnthropicClient ClientFor(ProxyTestEnvironment env, CapturingHandler capture) => new()
    {
        ApiKey = ClientPlaceholderKey,
        BaseUrl = env.ProxyUri.ToString().TrimEnd('/'),
        HttpClient = new HttpClient(capture),
        MaxRetries = 0,
        ResponseValidation = true,
    };

    private static readonly MessageCreateParams Params = new()
    {
        MaxTokens = 64,
        Model = "claude-fake-1",
        Messages = [new UserMessageParam { Content = "Say hello" }],
    };

    [Fact]
    public async Task Create_NonStreaming_CompletesThroughProxy()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(upstreamOptions: new FakeUpstreamOptions { ReplyText = "Hello through the proxy" }, cancellationToken: ct);
        var capture = new CapturingHandler();
        var client = ClientFor(env, capture);

        var message = await client.Messages.Create(Params, ct);

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Hello through the proxy", text!.Text);
        AssertForwardedExactly(env, capture);
    }

    [Fact]
    public async Task CreateStreaming_AssemblesTheUpstreamsText()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(upstreamOptions: new FakeUpstreamOptions { ReplyText = "Streamed words arrive one by one" }, cancellationToken: ct);
        var capture = new CapturingHandler();
        var client = ClientFor(env, capture);

        var assembled = "";
        var stopped = false;
        await foreach (var streamEvent in client.Messages.CreateStreaming(Params, ct))
        {
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta))
            {
                assembled += textDelta!.Text;
            }
            stopped |= streamEvent.TryPickStop(out _);
        }

        Assert.Equal("Streamed words arrive one by one", assembled);
        Assert.True(stopped);
        Assert.Contains("\"stream\":true", Assert.Single(env.Upstream.Requests).BodyText, StringComparison.Ordinal);
        AssertForwardedExactly(env, capture);
    }

    [Fact]
    public async Task CountTokens_AnsweredByUpstream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        var capture = new CapturingHandler();
        var client = ClientFor(env, capture);

        var count = await client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "claude-fake-1",
            Messages = [new UserMessageParam { Content = "How many tokens is this?" }],
        }, ct);

        var upstream = Assert.Single(env.Upstream.Requests);
        Assert.Equal("/v1/messages/count_tokens", upstream.Path);
        Assert.Equal(AnthropicResponder.EstimateTokens(upstream.Body), count.InputTokens);
        AssertForwardedExactly(env, capture);
    }

    /// <summary>Every request: same body bytes at the upstream, same version header, only the injected key.</summary>
    private static void AssertForwardedExactly(ProxyTestEnvironment env, CapturingHandler capture)
    {
        var sent = capture.Sent;
        var received = env.Upstream.Requests;
        Assert.Equal(sent.Count, received.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            Assert.Equal(Hashing.Sha256(sent[i].Body), received[i].BodySha256);
            Assert.Equal(string.Join(",", sent[i].Request.Headers.GetValues("anthropic-version")), received[i].GetHeader("anthropic-version"));
            Assert.Equal(ProxyTestEnvironment.UpstreamKey, received[i].GetHeader("x-api-key"));
            Assert.False(received[i].HasHeader("authorization"));
            Assert.DoesNotContain(received[i].Headers, h => h.Value.Contains(ClientPlaceholderKey, StringComparison.Ordinal));
        }
    }
}
