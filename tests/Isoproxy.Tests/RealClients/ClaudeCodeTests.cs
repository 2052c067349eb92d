using System.Security.Cryptography;
using System.Text.Json;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.RealClients;

/// <summary>Claude Code itself, headless, holding real conversations through the proxy.</summary>
[Collection(RealClientsCollection.Name)]
public sealed class ClaudeCodeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ToolConversation_OverTcpOrUnixSocket_FinalAnswerQuotesSecretAndEveryTurnStreamed(bool unixSocket)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await ClaudeCodeSession.StartAsync(unixSocket, ct);
        // Only the upstream ever sees this value: it reaches it inside the tool_result Claude Code
        // sends after running its Read tool, and comes back in the final answer.
        var secret = "secret-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var secretPath = Path.Combine(session.WorkingDirectory, "secret.txt");
        await File.WriteAllTextAsync(secretPath, secret + "\n", ct);
        session.Responder.ReadFilePath = secretPath;

        var run = await session.RunAsync("Read the file secret.txt and tell me what it says.", ["--allowedTools", "Read"], ct);

        // The client's end: a successful conversation whose answer holds the secret.
        Assert.True(run.Process.ExitCode == 0 && !run.IsError, run.ToString());
        Assert.Contains(secret, run.Result, StringComparison.Ordinal);
        Assert.Equal(2, run.Output.GetProperty("num_turns").GetInt32());

        // The upstream's end: a tool_use turn, then a request carrying the tool's result.
        var messages = session.MessagesRequests();
        Assert.True(messages.Count >= 2, $"expected at least two /v1/messages requests, got {messages.Count}");
        Assert.Contains(messages, r => session.Responder.Replies[r.Index].Message["stop_reason"]!.GetValue<string>() == "tool_use");
        Assert.Contains(messages, r => r.BodyText.Contains(secret, StringComparison.Ordinal) && r.BodyText.Contains("tool_result", StringComparison.Ordinal));
        await AssertEveryMessagesRequestStreamedToCompletionAsync(session);
        PassThroughAssertions.AssertForwardedFaithfully(session.Relay.Requests, session.Upstream.Requests);
    }

    [Fact]
    public async Task ContextCommand_ParallelCountTokens_AllAnswered()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await ClaudeCodeSession.StartAsync(unixSocket: false, ct);
        session.Responder.CountTokensDelay = TimeSpan.FromMilliseconds(150);

        var run = await session.RunAsync("/context", cancellationToken: ct);

        Assert.True(run.Process.ExitCode == 0 && !run.IsError, run.ToString());
        Assert.Contains("Context Usage", run.Result, StringComparison.Ordinal);
        var counts = session.Upstream.Requests.Where(r => r.Path == "/v1/messages/count_tokens").ToList();
        Assert.True(counts.Count >= 10, $"expected a burst of count_tokens requests, got {counts.Count}\n{run}");
        // The burst is parallel: some request arrived while another was still being answered.
        var maxInFlight = counts.Max(a => counts.Count(b => b.ReceivedAt >= a.ReceivedAt && b.ReceivedAt < (a.CompletedAt ?? DateTimeOffset.MaxValue)));
        Assert.True(maxInFlight >= 2, $"count_tokens requests never overlapped ({counts.Count} requests)");
        var logged = await WaitForLogLinesAsync(session, "/v1/messages/count_tokens", counts.Count);
        Assert.All(logged, l => Assert.Equal(200, l.GetProperty("status").GetInt32()));
        Assert.All(logged, l => Assert.Equal("ok", l.GetProperty("outcome").GetString()));
        PassThroughAssertions.AssertForwardedFaithfully(session.Relay.Requests, session.Upstream.Requests);
    }

    [Fact]
    public async Task Overloaded529Once_ThenSuccess_ClaudeCodeRecovers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await ClaudeCodeSession.StartAsync(unixSocket: false, ct);
        session.Upstream.Enqueue(FakeResponse.Error(529, "overloaded_error", "Overloaded"));

        var run = await session.RunAsync("Say hello.", cancellationToken: ct);

        Assert.True(run.Process.ExitCode == 0 && !run.IsError, run.ToString());
        Assert.Equal(session.Responder.ReplyText, run.Result);
        var messages = session.MessagesRequests();
        Assert.Equal(2, messages.Count);
        // Claude Code retries the same turn itself (its SDK's x-stainless-retry-count stays 0).
        Assert.Equal(messages[0].BodySha256, messages[1].BodySha256);
        var statuses = (await WaitForLogLinesAsync(session, "/v1/messages", 2)).Select(l => l.GetProperty("status").GetInt32()).ToList();
        Assert.Equal([529, 200], statuses);
        PassThroughAssertions.AssertForwardedFaithfully(session.Relay.Requests, session.Upstream.Requests);
    }

    [Fact]
    public async Task Unauthorized401WithShouldRetryFalse_ClaudeCodeStopsAfterOneRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var session = await ClaudeCodeSession.StartAsync(unixSocket: false, ct);
        // Any further request would get the same answer; only x-should-retry keeps it from retrying.
        for (var i = 0; i < 20; i++)
        {
            session.Upstream.Enqueue(FakeResponse.Error(401, "authentication_error", "invalid x-api-key", ("x-should-retry", "false")));
        }

        var run = await session.RunAsync("Say hello.", cancellationToken: ct);

        Assert.True(run.IsError, run.ToString());
        Assert.NotEqual(0, run.Process.ExitCode);
        Assert.Single(session.Upstream.Requests);
        var line = Assert.Single(await WaitForLogLinesAsync(session, "/v1/messages", 1));
        Assert.Equal(401, line.GetProperty("status").GetInt32());
        PassThroughAssertions.AssertForwardedFaithfully(session.Relay.Requests, session.Upstream.Requests);
    }

    /// <summary>
    /// The request log lines for a path, once there are as many as expected (a line is written as
    /// its response ends, which can trail the client by a moment).
    /// </summary>
    private static async Task<List<JsonElement>> WaitForLogLinesAsync(ClaudeCodeSession session, string path, int expected)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var lines = session.RequestLog().Where(l => l.GetProperty("path").GetString()!.Split('?')[0] == path).ToList();
            if (lines.Count >= expected || DateTimeOffset.UtcNow > deadline)
            {
                Assert.True(lines.Count == expected, $"{lines.Count} request log lines for {path}, expected {expected}:\n{session.Proxy.RequestLog}");
                return lines;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static async Task AssertEveryMessagesRequestStreamedToCompletionAsync(ClaudeCodeSession session)
    {
        foreach (var request in session.MessagesRequests())
        {
            var body = JsonDocument.Parse(request.Body).RootElement;
            Assert.True(body.TryGetProperty("stream", out var stream) && stream.GetBoolean(), $"request #{request.Index} was not streamed");
            var reply = session.Responder.Replies[request.Index];
            Assert.True(reply.Streamed && reply.Written, $"request #{request.Index}: the stream was not written to message_stop");
        }

        var logged = await WaitForLogLinesAsync(session, "/v1/messages", session.MessagesRequests().Count);
        Assert.All(logged, l => Assert.Equal(200, l.GetProperty("status").GetInt32()));
        Assert.All(logged, l => Assert.Equal("ok", l.GetProperty("outcome").GetString()));
    }
}
