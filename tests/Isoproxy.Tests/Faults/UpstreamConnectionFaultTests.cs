using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary>Upstream failures before a response (a 502 naming the class) and during one (the same kind of cut).</summary>
public sealed class UpstreamConnectionFaultTests
{
    [Fact]
    public async Task ConnectionRefused_502UpstreamConnectFailed()
    {
        await using var env = await FaultEnvironment.StartAsync(configure: c => FaultEnvironment.WithEndpoint(c, new Uri($"https://localhost:{ClosedPort()}")));

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await FaultAssert.ProxyErrorAsync(response, 502, "api_error", "upstream_connect_failed", retryCannotHelp: false);
    }

    [Fact]
    public async Task ConnectionRefused_Twice_SameAnswerEachTime()
    {
        // No retries and no state: the same fault gives the same answer.
        await using var env = await FaultEnvironment.StartAsync(configure: c => FaultEnvironment.WithEndpoint(c, new Uri($"https://localhost:{ClosedPort()}")));

        var answers = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = FaultEnvironment.Messages();
            using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);
            var headers = string.Join(";", response.Headers.Where(h => h.Key != "Date").OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => $"{h.Key}={string.Join(",", h.Value)}"));
            answers.Add($"{(int)response.StatusCode} {headers} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        }

        Assert.Equal(answers[0], answers[1]);
    }

    [Fact]
    public async Task HostDoesNotResolve_502UpstreamDnsFailed()
    {
        // RFC 6761: .invalid never resolves. Without the test environment's address pin, so DNS is asked.
        await using var env = await FaultEnvironment.StartAsync(configure: c =>
        {
            var unresolvable = FaultEnvironment.WithEndpoint(c, new Uri("https://nonexistent.invalid"));
            return unresolvable with { Providers = [unresolvable.Providers[0] with { Resolve = [] }] };
        });

        var watch = Stopwatch.StartNew();
        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        var message = await FaultAssert.ProxyErrorAsync(response, 502, "api_error", "upstream_dns_failed", retryCannotHelp: false);
        Assert.DoesNotContain("nonexistent", message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task TlsCertificateFromUntrustedCa_502UpstreamTlsFailed()
    {
        using var otherCa = new TestCertificateAuthority("Some Other CA");
        using var directory = new Configuration.TempDirectory();
        var otherCaFile = Path.Combine(directory.Path, "other-ca.pem");
        otherCa.WriteCaPem(otherCaFile);
        await using var env = await FaultEnvironment.StartAsync(configure: c => FaultEnvironment.WithCaFile(c, otherCaFile));

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await FaultAssert.ProxyErrorAsync(response, 502, "api_error", "upstream_tls_failed", retryCannotHelp: true);
        Assert.Empty(env.Upstream.Requests);
    }

    [Fact]
    public async Task TlsCertificateForWrongHost_502UpstreamTlsFailed()
    {
        using var ca = new TestCertificateAuthority();
        using var wrongHost = ca.IssueWrongHostCertificate();
        await using var env = await FaultEnvironment.StartAsync(upstreamOptions: new FakeUpstreamOptions { Authority = ca, ServerCertificate = wrongHost });

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await FaultAssert.ProxyErrorAsync(response, 502, "api_error", "upstream_tls_failed", retryCannotHelp: true);
        Assert.Empty(env.Upstream.Requests);
    }

    [Fact]
    public async Task TlsCertificateExpired_502UpstreamTlsFailed()
    {
        using var ca = new TestCertificateAuthority();
        using var expired = ca.IssueExpiredCertificate();
        await using var env = await FaultEnvironment.StartAsync(upstreamOptions: new FakeUpstreamOptions { Authority = ca, ServerCertificate = expired });

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await FaultAssert.ProxyErrorAsync(response, 502, "api_error", "upstream_tls_failed", retryCannotHelp: true);
        Assert.Empty(env.Upstream.Requests);
    }

    [Fact]
    public async Task ResetBeforeHeaders_502UpstreamReset()
    {
        await using var env = await FaultEnvironment.StartAsync();
        env.Upstream.Enqueue(FakeResponse.ResetBeforeHeaders());

        using var request = FaultEnvironment.Messages();
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        await FaultAssert.ProxyErrorAsync(response, 502, "api_error", "upstream_reset", retryCannotHelp: false);
        // Exactly one attempt reached the upstream: nothing retried it.
        Assert.Single(env.Upstream.Requests);
    }

    [Fact]
    public async Task ResetMidStream_ClientSeesCutStreamWithoutFabricatedEnding()
    {
        await using var env = await FaultEnvironment.StartAsync();
        var scripted = env.Upstream.Enqueue(FakeResponse.CutStreamAfterFirstDelta());

        using var request = FaultEnvironment.Messages();
        var outcome = await ClientOutcome.SendAsync(env.Client, request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.NotNull(outcome.Failure);
        // What the upstream sent, and nothing the proxy made up: no error event, no clean end.
        Assert.Equal(scripted.SentBody, outcome.Body);
        Assert.DoesNotContain("event: error", Encoding.UTF8.GetString(outcome.Body), StringComparison.Ordinal);
        Assert.Single(env.Upstream.Requests);
    }

    [Fact]
    public async Task ResetMidBodyWithContentLength_ClientSeesCutBody()
    {
        await using var env = await FaultEnvironment.StartAsync();
        var partial = Encoding.UTF8.GetBytes("{\"id\":\"msg_1\",\"content\":[{\"type\":\"text\",\"text\":\"Hel");
        env.Upstream.Enqueue(FakeResponse.DeclaredLengthButShortBody(1000, partial));

        using var request = FaultEnvironment.Messages("{}");
        var outcome = await ClientOutcome.SendAsync(env.Client, request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, outcome.Status);
        Assert.NotNull(outcome.Failure);
        Assert.Equal(partial, outcome.Body);
    }

    /// <summary>A loopback port nothing listens on: bound once to pick it, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
