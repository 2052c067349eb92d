using Anthropic;
using Anthropic.Models.Messages;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.FakeUpstream;

/// <summary>The default responder must satisfy the real .NET SDK, including its response validation.</summary>
public sealed class AnthropicResponderSdkTests
{
    [Fact]
    public async Task Sdk_CreateAndCreateStreaming_ParseTheFakeReplies()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeUpstreamServer.StartAsync(new FakeUpstreamOptions { ReplyText = "Two words" }, ct);
        using var http = TrustingHttpClient.Create(server.CaFilePath);
        var client = new AnthropicClient
        {
            ApiKey = "sk-fake",
            BaseUrl = server.BaseUri.ToString().TrimEnd('/'),
            HttpClient = http,
            MaxRetries = 0,
            ResponseValidation = true,
        };
        var parameters = new MessageCreateParams
        {
            MaxTokens = 16,
            Model = "claude-fake-1",
            Messages = [new UserMessageParam { Content = "Hi" }],
        };

        var message = await client.Messages.Create(parameters, ct);
        Assert.True(message.Content[0].TryPickText(out var block));
        Assert.Equal("Two words", block!.Text);

        var text = string.Empty;
        var sawStop = false;
        await foreach (var streamEvent in client.Messages.CreateStreaming(parameters, ct))
        {
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.TryPickText(out var textDelta))
            {
                text += textDelta!.Text;
            }

            sawStop |= streamEvent.TryPickStop(out _);
        }

        Assert.Equal("Two words", text);
        Assert.True(sawStop);
        Assert.All(server.Requests, r => Assert.Equal("/v1/messages", r.Path));
    }
}
