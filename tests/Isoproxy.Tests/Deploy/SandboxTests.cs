using System.Security.Cryptography;
using System.Text;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Isoproxy.Tests.RealClients;
using Xunit;

namespace Isoproxy.Tests.Deploy;

/// <summary>
/// <c>deploy/sandbox/isoproxy-bwrap</c> with the pinned Claude Code: isoproxy on a Unix socket,
/// Claude Code inside the sandbox completes a tool round trip, and from inside the same sandbox
/// nothing else gets out.
/// </summary>
[Collection(RealClientsCollection.Name)]
public sealed class SandboxTests
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task ClaudeCodeInSandbox_ToolRoundTripThroughTheSocket_AndNoOtherWayOut()
    {
        var ct = TestContext.Current.CancellationToken;
        var claude = ClientPaths.ClaudeBinary;
        await using var fixture = await DeployFixture.StartAsync(ct);
        var responder = new ScriptedConversationResponder();
        fixture.Upstream.DefaultResponder = responder;

        // The provider key lives in a file only the proxy reads; the sandbox gets a client token.
        var keyFile = Path.Combine(fixture.Directory, "anthropic-key");
        await File.WriteAllTextAsync(keyFile, ProxyTestEnvironment.UpstreamKey + "\n", ct);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var token = "client-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var tokenHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var socketPath = Path.Combine(fixture.Directory, "isoproxy.sock");
        var config = await fixture.WriteConfigAsync(
            $"unix: {socketPath}\nunix_mode: \"0600\"", ct, keyYaml: $"api_key_file: {keyFile}",
            extraYaml: $"clients:\n  - name: sandbox\n    token_sha256: \"{tokenHash}\"\n");
        await using var proxy = IsoproxyProcess.Start(new Dictionary<string, string>(), "serve", "--config", config);
        await WaitForBannerAsync(proxy, ct);

        var workdir = Directory.CreateTempSubdirectory("isoproxy-sandbox-work-").FullName;
        try
        {
            var secret = "secret-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
            await File.WriteAllTextAsync(Path.Combine(workdir, "secret.txt"), secret + "\n", ct);
            responder.ReadFilePath = Path.Combine(workdir, "secret.txt");
            var probes = Path.Combine(workdir, "probes.txt");

            // One sandbox: first the escape attempts (results to a file in the working directory),
            // then Claude Code in its place.
            var script = $$"""
                {
                  (exec 3<>/dev/tcp/127.0.0.1/{{fixture.Upstream.BaseUri.Port}}) 2>/dev/null && echo "upstream-tcp: connected" || echo "upstream-tcp: failed"
                  (exec 3<>/dev/tcp/192.0.2.1/443) 2>/dev/null && echo "outside-tcp: connected" || echo "outside-tcp: failed"
                  getent hosts api.anthropic.com >/dev/null && echo "dns: resolved" || echo "dns: failed"
                  getent hosts localhost >/dev/null && echo "localhost: resolved" || echo "localhost: failed"
                  cat '{{keyFile}}' >/dev/null 2>&1 && echo "key-file: readable" || echo "key-file: unreadable"
                  ls /run/credentials >/dev/null 2>&1 && echo "credentials: visible" || echo "credentials: invisible"
                  echo "--- env"
                  env
                } > probes.txt
                exec "$@"
                """;
            var environment = new Dictionary<string, string>
            {
                ["ISOPROXY_TEST_CLIENT_TOKEN"] = token,
                // The caller's own variables, the provider key among them, must not reach the sandbox.
                [ProxyTestEnvironment.UpstreamKeyVariable] = ProxyTestEnvironment.UpstreamKey,
                ["ISOPROXY_TEST_CALLER_MARKER"] = "caller-marker-5d1e",
            };
            string[] arguments =
            [
                "--socket", socketPath, "--workdir", workdir, "--ro-bind", ClientPaths.ClientsDirectory, "--token-env", "ISOPROXY_TEST_CLIENT_TOKEN",
                "--", "bash", "-c", script, "sandbox",
                claude, "-p", "Read the file secret.txt and tell me what it says.", "--output-format", "json",
                "--model", ClaudeCodeSession.Model, "--allowedTools", "Read",
            ];
            var result = await ChildProcess.RunAsync(
                Path.Combine(ClientPaths.RepositoryRoot, "deploy", "sandbox", "isoproxy-bwrap"), arguments, workdir, environment, RunTimeout, ct);

            // Claude Code's end: the conversation completed with the tool's result.
            var run = new ClaudeCodeRun(result);
            Assert.True(result.ExitCode == 0 && !run.IsError, run.ToString());
            Assert.Contains(secret, run.Result, StringComparison.Ordinal);
            Assert.Equal(2, run.Output.GetProperty("num_turns").GetInt32());

            // The upstream's end: the tool result arrived, every request with the injected key only.
            var messages = fixture.Upstream.Requests.Where(r => r.Path == "/v1/messages").ToList();
            Assert.Contains(messages, r => r.BodyText.Contains(secret, StringComparison.Ordinal) && r.BodyText.Contains("tool_result", StringComparison.Ordinal));
            Assert.All(fixture.Upstream.Requests, r => Assert.Equal(ProxyTestEnvironment.UpstreamKey, r.GetHeader("x-api-key")));
            Assert.All(fixture.Upstream.Requests, r => Assert.DoesNotContain(token, string.Join('\n', r.Headers.Select(h => h.Value)), StringComparison.Ordinal));

            // Nothing else got out.
            var probe = await File.ReadAllTextAsync(probes, ct);
            Assert.Contains("upstream-tcp: failed", probe, StringComparison.Ordinal);
            Assert.Contains("outside-tcp: failed", probe, StringComparison.Ordinal);
            Assert.Contains("dns: failed", probe, StringComparison.Ordinal);
            Assert.Contains("localhost: resolved", probe, StringComparison.Ordinal);
            Assert.Contains("key-file: unreadable", probe, StringComparison.Ordinal);
            Assert.Contains("credentials: invisible", probe, StringComparison.Ordinal);
            var environmentInside = probe[(probe.IndexOf("--- env", StringComparison.Ordinal) + 7)..];
            Assert.DoesNotContain(ProxyTestEnvironment.UpstreamKey, environmentInside, StringComparison.Ordinal);
            Assert.DoesNotContain("caller-marker-5d1e", environmentInside, StringComparison.Ordinal);
            Assert.Contains("ANTHROPIC_UNIX_SOCKET=/run/isoproxy/isoproxy.sock\n", environmentInside, StringComparison.Ordinal);
            Assert.Contains("ANTHROPIC_BASE_URL=http://localhost\n", environmentInside, StringComparison.Ordinal);
            Assert.Contains($"ANTHROPIC_API_KEY={token}\n", environmentInside, StringComparison.Ordinal);
            Assert.Contains("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1\n", environmentInside, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(workdir, recursive: true);
        }

        await proxy.StopAsync(ct);
    }

    [Fact]
    public async Task ProviderOption_SetsThePrefixedBaseUrl_AndBadArgumentsAreRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var wrapper = Path.Combine(ClientPaths.RepositoryRoot, "deploy", "sandbox", "isoproxy-bwrap");
        var directory = Directory.CreateTempSubdirectory("isoproxy-sandbox-").FullName;
        try
        {
            var socketPath = Path.Combine(directory, "s.sock");
            using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
            listener.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
            listener.Listen();

            var withProvider = await ChildProcess.RunAsync(
                wrapper, ["--socket", socketPath, "--provider", "openrouter", "--workdir", directory, "--", "printenv", "ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"],
                directory, new Dictionary<string, string>(), RunTimeout, ct);
            var notASocket = await ChildProcess.RunAsync(
                wrapper, ["--socket", directory, "--", "true"], directory, new Dictionary<string, string>(), RunTimeout, ct);
            var badProvider = await ChildProcess.RunAsync(
                wrapper, ["--socket", socketPath, "--provider", "../x", "--", "true"], directory, new Dictionary<string, string>(), RunTimeout, ct);
            var noCommand = await ChildProcess.RunAsync(
                wrapper, ["--socket", socketPath, "--"], directory, new Dictionary<string, string>(), RunTimeout, ct);

            Assert.True(withProvider.ExitCode == 0, withProvider.ToString());
            Assert.Equal("http://localhost/openrouter\nplaceholder\n", withProvider.Stdout);
            Assert.Equal(2, notASocket.ExitCode);
            Assert.Contains("is not a socket", notASocket.Stderr, StringComparison.Ordinal);
            Assert.Equal(2, badProvider.ExitCode);
            Assert.Equal(2, noCommand.ExitCode);
            Assert.Contains("usage: isoproxy-bwrap", noCommand.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task WaitForBannerAsync(IsoproxyProcess proxy, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 800 && !proxy.Stderr.Contains(" listening on ", StringComparison.Ordinal); i++)
        {
            await Task.Delay(25, cancellationToken);
        }

        Assert.Contains(" listening on ", proxy.Stderr, StringComparison.Ordinal);
    }
}
