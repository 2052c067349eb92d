using System.Net;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Faults;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Isoproxy.Tests.Operations;

/// <summary>
/// Reloading the configuration (what SIGHUP does): new requests use the new configuration and
/// keys, requests in flight finish on what they started with, an invalid file changes nothing.
/// </summary>
public sealed class ReloadTests
{
    private const string SecondKey = "rotating-key-two-9d2e";

    private static async Task<HttpStatusCode> PostAsync(OperatedProxy proxy, string path, CancellationToken ct)
    {
        using var response = await proxy.Client.PostAsync(path, new StringContent("{}"), ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task RotatedKeyFile_NextRequestCarriesTheNewKey()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(proxy, "/v1/messages", ct));

        proxy.WriteKey(SecondKey);
        var result = await proxy.ReloadAsync();
        Assert.Equal(HttpStatusCode.OK, await PostAsync(proxy, "/v1/messages", ct));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Empty(result.RestartRequired);
        Assert.Equal([OperatedProxy.FirstKey, SecondKey], proxy.Upstream.Requests.Select(r => r.GetHeader("x-api-key")));
        var reloaded = Assert.Single(proxy.Events, e => e.GetProperty("event").GetString() == "config_reloaded");
        Assert.Equal(proxy.ConfigPath, reloaded.GetProperty("source").GetString());
        Assert.Equal(Infrastructure.Hashing.Sha256(await File.ReadAllBytesAsync(proxy.ConfigPath, ct)), reloaded.GetProperty("sha256").GetString());
        Assert.Equal("anthropic", reloaded.GetProperty("providers")[0].GetString());
        Assert.Equal(0, reloaded.GetProperty("restart_required").GetArrayLength());
        Assert.DoesNotContain(SecondKey, proxy.Diagnostics + proxy.RequestLog, StringComparison.Ordinal);
        Assert.DoesNotContain(OperatedProxy.FirstKey, proxy.Diagnostics + proxy.RequestLog, StringComparison.Ordinal);
        var metrics = Exposition.Parse(await proxy.ScrapeAsync(ct));
        Assert.Equal(1, metrics.Samples["isoproxy_config_reloads_total{result=\"ok\"}"]);
    }

    [Fact]
    public async Task StreamInFlight_SurvivesReloadByteForByte()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        var chunks = TestStreams.Deltas(20, TimeSpan.FromMilliseconds(50));
        var scripted = proxy.Upstream.Enqueue(FakeResponse.SlowStream(chunks));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("""{"stream":true}""") };
        using var response = await proxy.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var body = await response.Content.ReadAsStreamAsync(ct);
        var received = new MemoryStream();
        var buffer = new byte[256];
        // Part of the stream first, then a reload that changes the key and the limits, then the rest.
        while (received.Length < chunks[0].Data.Length)
        {
            var read = await body.ReadAsync(buffer, ct);
            Assert.NotEqual(0, read);
            received.Write(buffer, 0, read);
        }

        proxy.WriteKey(SecondKey);
        var result = await proxy.RewriteAndReloadAsync(OperatedProxy.Yaml(proxy.Upstream, "limits:\n  max_response_bytes: 1KB\n"), ct);
        await body.CopyToAsync(received, ct);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(scripted.SentBody, received.ToArray());
        Assert.True(received.Length > 1024, "the stream is larger than the reloaded max_response_bytes, which applies only to new requests");
        Assert.Equal(OperatedProxy.FirstKey, scripted.Request!.GetHeader("x-api-key"));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(proxy, "/v1/messages", ct));
        Assert.Equal(SecondKey, proxy.Upstream.Requests[^1].GetHeader("x-api-key"));
        await proxy.WaitForRequestsAsync(2, ct);
        Assert.Contains("\"outcome\":\"ok\"", proxy.RequestLog.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidFile_OldConfigurationKeepsServing_ProblemsReported()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        proxy.WriteKey(SecondKey);
        var broken = OperatedProxy.Yaml(proxy.Upstream, "limits:\n  timeout_seconds: 0\nlogging:\n  mode: loud\n");

        var result = await proxy.RewriteAndReloadAsync(broken, ct);
        var status = await PostAsync(proxy, "/v1/messages", ct);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.Errors.Length);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(OperatedProxy.FirstKey, Assert.Single(proxy.Upstream.Requests).GetHeader("x-api-key"));
        Assert.Contains("2 configuration error(s); the running configuration is kept", proxy.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("limits.timeout_seconds", proxy.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("logging.mode: must be off, metadata or debug", proxy.Diagnostics, StringComparison.Ordinal);
        var failed = Assert.Single(proxy.Events, e => e.GetProperty("event").GetString() == "config_reload_failed");
        Assert.Equal(2, failed.GetProperty("problems").GetArrayLength());
        Assert.DoesNotContain(proxy.Events, e => e.GetProperty("event").GetString() == "config_reloaded");
        var metrics = Exposition.Parse(await proxy.ScrapeAsync(ct));
        Assert.Equal(1, metrics.Samples["isoproxy_config_reloads_total{result=\"error\"}"]);
        Assert.Equal(0, metrics.Samples["isoproxy_config_reloads_total{result=\"ok\"}"]);
    }

    [Fact]
    public async Task UnreadableKeyFile_ReloadFailsAndOldKeyKeepsServing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        File.SetUnixFileMode(proxy.KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var result = await proxy.ReloadAsync();
        var status = await PostAsync(proxy, "/v1/messages", ct);

        Assert.False(result.Succeeded);
        Assert.Contains("readable by group or others", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(OperatedProxy.FirstKey, Assert.Single(proxy.Upstream.Requests).GetHeader("x-api-key"));
    }

    [Fact]
    public async Task RemovedProvider_NewRequestsAnswer404()
    {
        var ct = TestContext.Current.CancellationToken;
        var second = "  second:\n    endpoint: {0}\n    api_key_file: anthropic.key\n    ca_file: {1}\n    resolve: [127.0.0.1]\ndefault_provider: anthropic\n";
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        var withSecond = OperatedProxy.Yaml(proxy.Upstream).TrimEnd('\n') + "\n"
            + string.Format(System.Globalization.CultureInfo.InvariantCulture, second, proxy.Upstream.BaseUri.GetLeftPart(UriPartial.Authority), proxy.Upstream.CaFilePath);
        Assert.True((await proxy.RewriteAndReloadAsync(withSecond, ct)).Succeeded);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(proxy, "/second/v1/messages", ct));

        var result = await proxy.RewriteAndReloadAsync(OperatedProxy.Yaml(proxy.Upstream), ct);
        using var response = await proxy.Client.PostAsync("/second/v1/messages", new StringContent("{}"), ct);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("route_not_found", Assert.Single(response.Headers.GetValues("x-isoproxy-error")));
        Assert.Single(proxy.Upstream.Requests);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(proxy, "/anthropic/v1/messages", ct));
    }

    [Fact]
    public async Task ListenerChange_ReportedAsNeedingRestart_OldListenersKept()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        var moved = OperatedProxy.Yaml(proxy.Upstream, "limits:\n  max_request_headers: 50\n",
            "listen:\n  tcp: 127.0.0.1:1\nadmin:\n  tcp: 127.0.0.1:2\n");

        var result = await proxy.RewriteAndReloadAsync(moved, ct);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(["listen", "admin", "limits.max_request_headers"], result.RestartRequired);
        Assert.Contains("isoproxy: reload: listen changed; it takes effect after a restart (the running value is kept)", proxy.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await PostAsync(proxy, "/v1/messages", ct));
        Assert.Equal(HttpStatusCode.OK, (await proxy.Admin.GetAsync("/readyz", ct)).StatusCode);
        Assert.NotEqual(1, proxy.Proxy.Config.Listen.Tcp!.Port);
        Assert.Equal(100, proxy.Proxy.Config.Limits.MaxRequestHeaders);
        var reloaded = Assert.Single(proxy.Events, e => e.GetProperty("event").GetString() == "config_reloaded");
        Assert.Equal(["listen", "admin", "limits.max_request_headers"], reloaded.GetProperty("restart_required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task OldUpstreamPools_DisposedOnceTheirLastRequestEnds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var proxy = await OperatedProxy.StartAsync(cancellationToken: ct);
        var before = GetRuntime(proxy);
        var gate = new TaskCompletionSource();
        proxy.Upstream.Enqueue(FakeResponse.Custom(async (context, _, token) =>
        {
            await gate.Task.WaitAsync(token);
            context.Response.StatusCode = 200;
            await context.Response.WriteAsync("{}", token);
        }));
        var inFlight = PostAsync(proxy, "/v1/messages", ct);
        await proxy.Upstream.WaitForRequestAsync(0, TimeSpan.FromSeconds(5));

        Assert.True((await proxy.ReloadAsync()).Succeeded);
        Assert.False(before.IsDisposed);
        gate.SetResult();
        Assert.Equal(HttpStatusCode.OK, await inFlight);
        // The lease is returned just after the log line is written.
        for (var i = 0; i < 100 && !before.IsDisposed; i++)
        {
            await Task.Delay(20, ct);
        }

        Assert.True(before.IsDisposed);
        Assert.False(GetRuntime(proxy).IsDisposed);
    }

    private static Isoproxy.Forwarding.ProxyRuntime GetRuntime(OperatedProxy proxy) => proxy.Proxy.Runtime;
}
