using System.Net;
using System.Text;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>
/// Canary provider keys and client tokens are planted, then the real executable is driven
/// through every logging mode and every error path. No byte of its stdout, stderr or of any
/// response to the client may contain a canary.
/// </summary>
public sealed class CanaryTests
{
    private const string KeyA = "sk-canary-key-anthropic-4f1d9e";
    private const string KeyB = "sk-canary-key-badtls-a83c20";
    private const string KeyC = "sk-canary-key-nodns-5e77b1";
    private const string Token = "canary-client-token-3e8a61";
    private const string WrongToken = "canary-wrong-token-77b4d2";

    private static readonly string[] Canaries = [KeyA, KeyB, KeyC, Token, WrongToken];

    private static readonly Dictionary<string, string> Environment = new()
    {
        ["CANARY_KEY_A"] = KeyA,
        ["CANARY_KEY_B"] = KeyB,
        // Every variable a careless message might echo holds a canary too.
        ["ANTHROPIC_API_KEY"] = KeyA,
        ["ANTHROPIC_AUTH_TOKEN"] = Token,
    };

    [Theory]
    [InlineData("off")]
    [InlineData("metadata")]
    [InlineData("debug")]
    public async Task Serve_EveryPathInMode_NoCanaryInAnyOutputOrResponse(string mode)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var upstream = await FakeUpstreamServer.StartAsync(ct: ct);
        using var otherAuthority = new TestCertificateAuthority("Some Other CA");
        using var dir = new TempFiles();
        var config = dir.Write("config.yaml", ServeConfig(upstream, mode, dir), UnixFileMode.UserRead | UnixFileMode.UserWrite);
        dir.Write("other-ca.pem", otherAuthority.CertificatePem, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        dir.Write("nodns.key", KeyC + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var proxy = IsoproxyProcess.Start(Environment, "serve", "--config", config);
        var port = await proxy.WaitForListeningAsync(ct);
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var responses = new StringBuilder();
        var statuses = new List<int>();

        async Task SendAsync(string target, string headers, string body = "{}")
        {
            var request = $"POST {target} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
            var response = await RawHttp.SendAsync(endPoint, request, TimeSpan.FromSeconds(10), ct);
            responses.Append(response);
            statuses.Add(RawHttp.StatusOf(response));
        }

        var apiKey = $"x-api-key: {Token}\r\n";
        // Success, with the token in either header and in the query, streamed and not.
        await SendAsync($"/v1/messages?beta=true&token={Token}", apiKey);
        await SendAsync("/v1/messages", $"Authorization: Bearer {Token}\r\n", "{\"stream\":true,\"messages\":[]}");
        // The upstream refuses the key.
        upstream.Enqueue(FakeResponse.Error(401, "authentication_error", "invalid x-api-key"));
        await SendAsync("/v1/messages", apiKey);
        // Timeout before the upstream's headers.
        upstream.Enqueue(FakeResponse.NeverAnswer());
        await SendAsync("/v1/messages", apiKey);
        // Request body over max_request_bytes.
        await SendAsync("/v1/messages", apiKey, "{\"x\":\"" + new string('a', 80 * 1024) + "\"}");
        // Exceptions inside the forwarder: reset before headers, stream cut mid-body.
        upstream.Enqueue(FakeResponse.ResetBeforeHeaders());
        await SendAsync("/v1/messages", apiKey);
        upstream.Enqueue(FakeResponse.CutStreamAfterFirstDelta());
        await SendAsync("/v1/messages", apiKey);
        // TLS failure (certificate from a CA the provider does not trust) and a refused address.
        await SendAsync("/badtls/v1/messages", apiKey);
        await SendAsync("/nodns/v1/messages", apiKey);
        // Wrong client token, in both forms.
        await SendAsync("/v1/messages", $"x-api-key: {WrongToken}\r\n");
        await SendAsync("/v1/messages", $"Authorization: Bearer {WrongToken}\r\n");
        // A malformed header carrying the token: Kestrel's own rejection.
        await SendAsync("/v1/messages", $"x-api-key: {Token}\0\r\n");
        // A route that does not exist.
        await SendAsync("/nowhere/v1/messages", apiKey);

        await proxy.StopAsync(ct);

        Assert.Equal([200, 200, 401, 504, 413, 502, 200, 502, 502, 401, 401, 400, 404], statuses);
        Assert.Equal(0, proxy.ExitCode);
        // Every request that reached the upstream carried the routed provider's key, and only it.
        Assert.All(upstream.Requests.Where(r => r.Path == "/v1/messages"), r => Assert.Equal(KeyA, r.GetHeader("x-api-key")));
        AssertNoCanary(proxy.Stdout, "stdout");
        AssertNoCanary(proxy.Stderr, "stderr");
        AssertNoCanary(responses.ToString(), "responses");
        if (mode == "off")
        {
            Assert.Equal("", proxy.Stdout);
        }
        else
        {
            Assert.Equal(statuses.Count - 1, proxy.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
            Assert.Contains("\"client\":\"sandbox\"", proxy.Stdout, StringComparison.Ordinal);
        }
        if (mode == "debug")
        {
            Assert.Contains("[\"x-api-key\",\"[redacted]\"]", proxy.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Check_ValidConfig_NoCanaryInOutput()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempFiles();
        dir.Write("nodns.key", KeyC + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var config = dir.Write("config.yaml", $"""
            listen:
              tcp: 127.0.0.1:0
              unsafe_allow_non_loopback: true
            default_provider: anthropic
            providers:
              anthropic:
                endpoint: https://api.anthropic.com
                api_key_env: CANARY_KEY_A
              other:
                endpoint: https://example.com/anthropic
                api_key_file: nodns.key
                unsafe_allow_private_addresses: true
            clients:
              - name: sandbox
                token_sha256: {Hashing.Sha256(Encoding.UTF8.GetBytes(Token))}
            """, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var check = IsoproxyProcess.Start(Environment, "check", "--config", config);
        var exitCode = await check.WaitForExitAsync(ct);

        Assert.Equal(0, exitCode);
        Assert.Contains("api_key: \"[redacted]\"", check.Stdout, StringComparison.Ordinal);
        // Every unsafe_ setting in use is named in a warning.
        Assert.Contains("isoproxy: warning: " + config + ":3: listen.unsafe_allow_non_loopback: is true", check.Stderr, StringComparison.Ordinal);
        Assert.Contains("providers.other.unsafe_allow_private_addresses: is true", check.Stderr, StringComparison.Ordinal);
        AssertNoCanary(check.Stdout + check.Stderr, "check output");
        Assert.DoesNotContain(Hashing.Sha256(Encoding.UTF8.GetBytes(Token)), check.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("serve")]
    public async Task BadConfig_ErrorsListed_NoCanaryInOutput(string command)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempFiles();
        dir.Write("readable.key", KeyC + "\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var config = dir.Write("config.yaml", $"""
            providers:
              pasted:
                endpoint: https://api.anthropic.com
                api_key_env: {KeyA}
              readable:
                endpoint: https://api.anthropic.com
                api_key_file: readable.key
              inline:
                endpoint: https://user:{KeyB}@api.anthropic.com
                api_key: {KeyB}
              empty:
                endpoint: https://api.anthropic.com
                api_key_env: EMPTY_KEY
            """, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        await using var run = IsoproxyProcess.Start(new Dictionary<string, string>(Environment) { ["EMPTY_KEY"] = "" }, command, "--config", config);
        var exitCode = await run.WaitForExitAsync(ct);

        Assert.Equal(1, exitCode);
        Assert.Contains("configuration error(s); not starting", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("is readable by group or others (mode 0644); run: chmod 600", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("environment variable EMPTY_KEY is not set or empty", run.Stderr, StringComparison.Ordinal);
        AssertNoCanary(run.Stdout + run.Stderr, command + " output");
    }

    private static string ServeConfig(FakeUpstreamServer upstream, string mode, TempFiles dir) => $"""
        listen:
          tcp: 127.0.0.1:0
        default_provider: anthropic
        providers:
          anthropic:
            endpoint: https://localhost:{upstream.Port}
            api_key_env: CANARY_KEY_A
            ca_file: {upstream.CaFilePath}
            resolve: [127.0.0.1]
          badtls:
            endpoint: https://localhost:{upstream.Port}
            api_key_env: CANARY_KEY_B
            ca_file: {Path.Combine(dir.Path, "other-ca.pem")}
            resolve: [127.0.0.1]
          nodns:
            endpoint: https://localhost:{upstream.Port}
            api_key_file: {Path.Combine(dir.Path, "nodns.key")}
            ca_file: {upstream.CaFilePath}
        limits:
          max_request_bytes: 64KB
          # Long enough for a cold process's first TLS handshake on a loaded machine; the
          # never-answering upstream below waits this long.
          timeout_seconds: 6
          shutdown_grace_seconds: 1
        logging:
          mode: {mode}
        clients:
          - name: sandbox
            token_sha256: {Hashing.Sha256(Encoding.UTF8.GetBytes(Token))}
        """;

    private static void AssertNoCanary(string text, string where)
    {
        foreach (var canary in Canaries)
        {
            Assert.False(text.Contains(canary, StringComparison.Ordinal), $"{where} contains the canary {canary}:\n{text}");
        }
    }

    /// <summary>A private temporary directory, deleted on dispose.</summary>
    private sealed class TempFiles : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("isoproxy-canary-").FullName;

        public string Write(string name, string content, UnixFileMode mode)
        {
            var path = System.IO.Path.Combine(Path, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, mode);
            return path;
        }

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
