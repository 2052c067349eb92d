using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Configuration;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Operations;

/// <summary>The real executable: SIGHUP reloads, security events go to stderr, the admin listener serves metrics.</summary>
public sealed partial class ReloadSignalTests
{
    [Fact]
    public async Task Sighup_RotatedKeyFile_NextRequestCarriesNewKey_EventsOnStderr()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);
        using var directory = new TempDirectory();
        directory.WriteFile(OperatedProxy.KeyFileName, OperatedProxy.FirstKey + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var configPath = directory.WriteFile("isoproxy.yaml", OperatedProxy.Yaml(upstream), UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var proxy = IsoproxyProcess.Start(new Dictionary<string, string>(), "serve", "--config", configPath);
        var port = await proxy.WaitForListeningAsync(ct);
        await WaitForAsync(() => AdminListening().IsMatch(proxy.Stderr), ct);
        var adminPort = int.Parse(AdminListening().Match(proxy.Stderr).Groups[1].ValueSpan, CultureInfo.InvariantCulture);
        using var client = OperatedProxy.NewClient(new Uri($"http://127.0.0.1:{port}"));
        using var admin = OperatedProxy.NewClient(new Uri($"http://127.0.0.1:{adminPort}"));
        using (var first = await client.PostAsync("/v1/messages", new StringContent("{}"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        directory.WriteFile(OperatedProxy.KeyFileName, "rotated-by-signal-key-e51b\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await proxy.SignalHangUpAsync(ct);
        await WaitForAsync(() => proxy.Stderr.Contains("configuration reloaded", StringComparison.Ordinal), ct);
        using (var second = await client.PostAsync("/v1/messages", new StringContent("{}"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }
        var metrics = Exposition.Parse(await admin.GetStringAsync("/metrics", ct));
        await proxy.StopAsync(ct);

        Assert.Equal([OperatedProxy.FirstKey, "rotated-by-signal-key-e51b"], upstream.Requests.Select(r => r.GetHeader("x-api-key")));
        Assert.Equal(1, metrics.Samples["isoproxy_config_reloads_total{result=\"ok\"}"]);
        Assert.Equal(2, metrics.Samples["isoproxy_requests_total{outcome=\"ok\",provider=\"anthropic\",route=\"messages\",status=\"200\"}"]);
        var events = proxy.Stderr.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(
            ["config_loaded", "config_reloaded", "shutdown_started", "shutdown_finished"],
            events.Select(e => e.GetProperty("event").GetString()));
        var sha = Hashing.Sha256(await File.ReadAllBytesAsync(configPath, ct));
        Assert.Equal(sha, events[0].GetProperty("sha256").GetString());
        Assert.Equal(configPath, events[0].GetProperty("source").GetString());
        Assert.All(events, e => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", e.GetProperty("time").GetString()));
        Assert.DoesNotContain("rotated-by-signal-key-e51b", proxy.Stderr + proxy.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(OperatedProxy.FirstKey, proxy.Stderr + proxy.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, proxy.ExitCode);
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(25, timeout.Token);
        }
    }

    [GeneratedRegex(@"admin \(/healthz, /readyz, /metrics\) on http://127\.0\.0\.1:(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex AdminListening();
}
