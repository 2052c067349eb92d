using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Functional;

/// <summary>The real <c>isoproxy serve</c> executable, end to end.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_WithSystemProxyVariablesSet_IgnoresThemAndForwardsDirectly()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);
        var directory = Directory.CreateTempSubdirectory("isoproxy-serve-").FullName;
        var configPath = await ProxyTestEnvironment.WriteConfigFileAsync(upstream, directory, extraYaml: "", ct);
        // A proxy that does not exist (nothing listens on the discard port): using it would fail every request.
        var environment = new Dictionary<string, string>
        {
            [ProxyTestEnvironment.UpstreamKeyVariable] = ProxyTestEnvironment.UpstreamKey,
            ["HTTPS_PROXY"] = "http://127.0.0.1:9",
            ["https_proxy"] = "http://127.0.0.1:9",
            ["HTTP_PROXY"] = "http://127.0.0.1:9",
            ["ALL_PROXY"] = "http://127.0.0.1:9",
            ["NO_PROXY"] = "",
        };

        await using var proxy = IsoproxyProcess.Start(environment, "serve", "--config", configPath);
        var port = await proxy.WaitForListeningAsync(ct);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var response = await client.PostAsync("/v1/messages", new StringContent("""{"model":"claude-fake-1","max_tokens":5,"messages":[]}"""), ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(ProxyTestEnvironment.UpstreamKey, Assert.Single(upstream.Requests).GetHeader("x-api-key"));
        await proxy.StopAsync(ct);
        Assert.Equal(0, proxy.ExitCode);
        Directory.Delete(directory, recursive: true);
    }
}
