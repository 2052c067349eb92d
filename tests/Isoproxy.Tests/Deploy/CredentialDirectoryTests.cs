using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Deploy;

/// <summary><c>api_key_credential</c> end to end: the executable reads the key from <c>$CREDENTIALS_DIRECTORY</c>.</summary>
public sealed class CredentialDirectoryTests
{
    [Fact]
    public async Task Serve_KeyFromCredentialsDirectory_IsInjectedUpstream()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var credentials = Directory.CreateDirectory(Path.Combine(fixture.Directory, "credentials")).FullName;
        var keyFile = Path.Combine(credentials, "anthropic-key");
        await File.WriteAllTextAsync(keyFile, "credential-key-93c1\n", ct);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead);
        var config = await fixture.WriteConfigAsync("tcp: 127.0.0.1:0", ct, keyYaml: "api_key_credential: anthropic-key");

        await using var proxy = IsoproxyProcess.Start(new Dictionary<string, string> { ["CREDENTIALS_DIRECTORY"] = credentials }, "serve", "--config", config);
        var port = await proxy.WaitForListeningAsync(ct);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var response = await client.PostAsync("/v1/messages", DeployFixture.MessagesBody(), ct);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("credential-key-93c1", Assert.Single(fixture.Upstream.Requests).GetHeader("x-api-key"));
        Assert.DoesNotContain("credential-key-93c1", proxy.Stderr + proxy.Stdout, StringComparison.Ordinal);
        await proxy.StopAsync(ct);
    }

    [Fact]
    public async Task Serve_CredentialWithoutCredentialsDirectory_ExitsWithConfigurationError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var config = await fixture.WriteConfigAsync("tcp: 127.0.0.1:0", ct, keyYaml: "api_key_credential: anthropic-key");

        await using var proxy = IsoproxyProcess.Start(new Dictionary<string, string>(), "serve", "--config", config);

        Assert.Equal(1, await proxy.WaitForExitAsync(ct));
        Assert.Contains("api_key_credential: CREDENTIALS_DIRECTORY is not set", proxy.Stderr, StringComparison.Ordinal);
    }
}
