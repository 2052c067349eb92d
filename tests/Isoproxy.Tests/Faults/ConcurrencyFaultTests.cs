using System.Diagnostics;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary><c>max_concurrent_requests</c>: an immediate, retryable refusal, never a queue.</summary>
public sealed class ConcurrencyFaultTests
{
    [Fact]
    public async Task RequestPastLimit_Immediate429WithRetryAfter_AndSlotFreedAfterwards()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await FaultEnvironment.StartAsync(l => l with { MaxConcurrentRequests = 2 });
        env.Upstream.Enqueue(FakeResponse.NeverAnswer());
        env.Upstream.Enqueue(FakeResponse.NeverAnswer());

        using var holding = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var first = FaultEnvironment.Messages();
        using var second = FaultEnvironment.Messages();
        var held = new[]
        {
            env.Client.SendAsync(first, holding.Token),
            env.Client.SendAsync(second, holding.Token),
        };
        await env.Upstream.WaitForRequestAsync(1, TimeSpan.FromSeconds(5));

        var watch = Stopwatch.StartNew();
        using var third = FaultEnvironment.Messages();
        using var refused = await env.Client.SendAsync(third, ct);
        watch.Stop();

        var message = await FaultAssert.ProxyErrorAsync(refused, 429, "rate_limit_error", "concurrency_limit", retryCannotHelp: false);
        Assert.Equal("1", Assert.Single(refused.Headers.GetValues("retry-after")));
        Assert.Contains("max_concurrent_requests (2)", message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"refusal took {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(2, env.Upstream.Requests.Count);

        // The held requests end (the client gave up); their slots are free again.
        await holding.CancelAsync();
        await Task.WhenAll(held.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        var deadline = Stopwatch.StartNew();
        int status;
        do
        {
            using var next = FaultEnvironment.Messages("""{"model":"claude-fake-1","max_tokens":5,"messages":[]}""");
            using var response = await env.Client.SendAsync(next, ct);
            status = (int)response.StatusCode;
            if (status == 429)
            {
                await Task.Delay(50, ct);
            }
        }
        while (status == 429 && deadline.Elapsed < TimeSpan.FromSeconds(3));
        Assert.Equal(200, status);
    }
}
