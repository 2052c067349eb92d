using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.RealClients;

/// <summary>The checks every real-client scenario makes on every request, at both ends.</summary>
public static class PassThroughAssertions
{
    /// <summary>The placeholder credential real clients are given; it must never reach the upstream.</summary>
    public const string ClientKey = "sk-ant-placeholder-client-0000";

    /// <summary>
    /// Pairs every upstream request with the client request it came from (same method, target and
    /// body SHA-256) and checks: nothing added or lost, <c>anthropic-version</c> and
    /// <c>anthropic-beta</c> unchanged, only the injected key upstream, no client credential upstream.
    /// </summary>
    public static void AssertForwardedFaithfully(IReadOnlyList<ClientRequest> client, IReadOnlyList<RecordedRequest> upstream)
    {
        Assert.NotEmpty(client);
        Assert.Equal(client.Count, upstream.Count);
        var unmatched = client.ToList();
        foreach (var received in upstream)
        {
            var target = received.Path + received.QueryString;
            var sent = unmatched.FirstOrDefault(c => c.Method == received.Method && c.Target == target && c.BodySha256 == received.BodySha256);
            Assert.True(
                sent is not null,
                $"upstream request {received.Method} {target} (body sha256 {received.BodySha256}) matches no client request; client sent: {string.Join("; ", client)}");
            unmatched.Remove(sent);

            Assert.Equal(sent.BodyLength, received.Body.LongLength);
            Assert.Equal(sent.GetHeader("anthropic-version"), received.GetHeader("anthropic-version"));
            Assert.Equal(sent.GetHeader("anthropic-beta"), received.GetHeader("anthropic-beta"));
            Assert.Equal(ProxyTestEnvironment.UpstreamKey, received.GetHeader("x-api-key"));
            Assert.False(received.HasHeader("authorization"), $"{target}: the client's Authorization header reached the upstream");
            Assert.DoesNotContain(received.Headers, h => h.Value.Contains(ClientKey, StringComparison.Ordinal));
        }
    }
}
