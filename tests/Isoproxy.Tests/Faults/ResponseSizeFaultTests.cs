using System.Text;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary><c>max_response_bytes</c>, counted on the bytes relayed.</summary>
public sealed class ResponseSizeFaultTests
{
    [Fact]
    public async Task DeclaredContentLength_OverLimit_502BeforeAnythingRelayed()
    {
        await using var env = await FaultEnvironment.StartAsync(l => l with { MaxResponseBytes = 1024 });
        env.Upstream.Enqueue(FakeResponse.LargeBody(200, 4096));

        using var request = FaultEnvironment.Messages("{}");
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        var message = await FaultAssert.ProxyErrorAsync(response, 502, "api_error", "response_too_large", retryCannotHelp: true);
        Assert.Contains("max_response_bytes (1024 bytes)", message, StringComparison.Ordinal);
        Assert.DoesNotContain("filler", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UndeclaredJsonBody_CrossesLimit_ClientConnectionAborted()
    {
        const int limit = 40 * 1024;
        await using var env = await FaultEnvironment.StartAsync(l => l with { MaxResponseBytes = limit });
        // Far more than socket buffers hold, so the upstream is still writing when the proxy stops.
        var scripted = env.Upstream.Enqueue(FakeResponse.LargeBody(200, 64L * 1024 * 1024, declareLength: false));

        using var request = FaultEnvironment.Messages("{}");
        var outcome = await ClientOutcome.SendAsync(env.Client, request, TestContext.Current.CancellationToken);

        // A failed exchange, never a short body that ends cleanly.
        Assert.NotNull(outcome.Failure);
        Assert.True(outcome.Body.Length <= limit, $"client received {outcome.Body.Length} bytes");
        Assert.Equal(FakeResponse.LargeBodyContent(limit + 100).AsSpan(0, outcome.Body.Length).ToArray(), outcome.Body);
        // The proxy stopped reading: the upstream's connection was closed, not drained.
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task SseStream_CrossesLimit_WholeEventsThenErrorEventThenEnd()
    {
        var chunks = TestStreams.Deltas(40, TimeSpan.FromMilliseconds(25));
        // The limit falls in the middle of event 10.
        var limit = chunks.Take(10).Sum(c => c.Data.Length) + (chunks[10].Data.Length / 2);
        await using var env = await FaultEnvironment.StartAsync(l => l with { MaxResponseBytes = limit });
        var scripted = env.Upstream.Enqueue(FakeResponse.Sse(chunks));

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        var read = await StreamRead.ReadAsync(response, TestContext.Current.CancellationToken);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Null(read.Failure);
        var before = FaultAssert.EndsWithSseError(read.Body, "max_response_bytes");
        Assert.Equal(10, before.Count);
        // Exactly the upstream's first ten events, byte for byte, then the error event.
        var expectedPrefix = chunks.Take(10).SelectMany(c => c.Data).ToArray();
        Assert.Equal(expectedPrefix, read.Body.AsSpan(0, expectedPrefix.Length).ToArray());
        Assert.StartsWith("event: error\ndata: ", Encoding.UTF8.GetString(read.Body.AsSpan(expectedPrefix.Length)), StringComparison.Ordinal);
        await scripted.Request!.Aborted.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Contains("\"outcome\":\"response_too_large\"", env.RequestLog, StringComparison.Ordinal);
    }
}
