using System.Net;
using Isoproxy.FakeUpstream;
using Xunit;

namespace Isoproxy.Tests.Operations;

/// <summary>The admin listener: health, readiness and metrics apart from the agent's listener, never forwarding.</summary>
public sealed class AdminListenerTests
{
    [Fact]
    public async Task Admin_HealthzAndReadyz_SmallJson()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);

        using var health = await proxy.Admin.GetAsync("/healthz", ct);
        using var ready = await proxy.Admin.GetAsync("/readyz", ct);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await health.Content.ReadAsStringAsync(ct));
        Assert.Equal("application/json", health.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"ready"}""", await ready.Content.ReadAsStringAsync(ct));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task AgentListener_AdminPaths_NotFound(string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);

        using var response = await proxy.Client.GetAsync(path, ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("route_not_found", Assert.Single(response.Headers.GetValues("x-isoproxy-error")));
        Assert.DoesNotContain("isoproxy_", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST", "/v1/messages")]
    [InlineData("GET", "/v1/models")]
    [InlineData("POST", "/anthropic/v1/messages")]
    [InlineData("GET", "/health")]
    [InlineData("POST", "/metrics")]
    public async Task AdminListener_ApiPaths_NotFoundAndNeverForwarded(string method, string path)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);

        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? new StringContent("{}") : null };
        using var response = await proxy.Admin.SendAsync(request, ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"type\":\"not_found_error\"", await response.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Empty(proxy.Upstream.Requests);
        Assert.Equal(0, proxy.Upstream.ConnectionCount);
    }

    [Fact]
    public async Task Readyz_WhileDraining_503UntilTheDrainEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync("limits:\n  shutdown_grace_seconds: 2\n", ct);
        proxy.Upstream.Enqueue(FakeResponse.SlowStream(Faults.TestStreams.Deltas(30, TimeSpan.FromMilliseconds(100))));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("""{"stream":true}""") };
        using var stream = await proxy.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);

        var stopping = proxy.Proxy.StopAsync();
        using var draining = await proxy.Admin.GetAsync("/readyz", ct);
        using var alive = await proxy.Admin.GetAsync("/healthz", ct);

        Assert.False(stopping.IsCompleted, "the stream should still be draining");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        Assert.Equal("""{"status":"draining"}""", await draining.Content.ReadAsStringAsync(ct));
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        await stream.Content.ReadAsByteArrayAsync(ct);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10), ct);
        var events = proxy.Events.Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Contains("shutdown_started", events);
        Assert.Contains("shutdown_finished", events);
        var started = proxy.Events.First(e => e.GetProperty("event").GetString() == "shutdown_started");
        Assert.Equal(2, started.GetProperty("grace_seconds").GetDouble());
        Assert.Equal(1, started.GetProperty("in_flight").GetInt32());
    }
}
