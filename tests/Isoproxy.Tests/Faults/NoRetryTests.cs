using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary>
/// The proxy never sends a request twice, not even the transport-level re-send an HTTP client
/// may attempt when a reused pooled connection dies before the response starts.
/// </summary>
public sealed class NoRetryTests
{
    [Theory]
    [InlineData("POST", "/v1/messages")]
    [InlineData("POST", "/v1/messages/count_tokens")]
    [InlineData("GET", "/v1/models")]
    public async Task ReusedConnectionDiesBeforeResponse_RequestSentOnce(string method, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var env = await ProxyTestEnvironment.StartAsync(cancellationToken: ct);
        // The first exchange leaves a pooled keep-alive connection; the second arrives on it and
        // the upstream drops the connection after reading the request, without answering.
        env.Upstream.Enqueue(FakeResponse.Json(200, "{}"));
        env.Upstream.Enqueue(FakeResponse.ResetBeforeHeaders());
        env.Upstream.Enqueue(FakeResponse.Json(200, """{"sent":"twice"}"""));

        using (var first = await env.Client.SendAsync(Request(method, path), ct))
        {
            Assert.Equal(200, (int)first.StatusCode);
        }
        using var second = await env.Client.SendAsync(Request(method, path), ct);

        Assert.Equal(502, (int)second.StatusCode);
        Assert.Equal("upstream_reset", Assert.Single(second.Headers.GetValues("x-isoproxy-error")));
        Assert.Equal(2, env.Upstream.Requests.Count);
        Assert.Equal(1, env.Upstream.ConnectionCount);
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "POST" ? new StringContent("""{"model":"claude-x","max_tokens":5,"messages":[]}""") : null,
    };
}
