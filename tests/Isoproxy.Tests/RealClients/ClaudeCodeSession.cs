using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Isoproxy.FakeUpstream;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.RealClients;

/// <summary>
/// Claude Code, unmodified, talking to the real proxy (TCP or Unix socket; the published binary
/// when <c>ISOPROXY_BINARY</c> is set) in front of the fake upstream, through a <see cref="RecordingRelay"/> that keeps the client's exact bytes. Claude
/// Code gets a throw-away HOME and working directory, a placeholder key, and every setting that
/// keeps it off any other host.
/// </summary>
public sealed class ClaudeCodeSession : IAsyncDisposable
{
    public const string Model = "claude-fake-1";

    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private readonly DirectoryInfo _root;
    private readonly string? _relaySocket;

    private ClaudeCodeSession(ProxyForClients proxy, RecordingRelay relay, DirectoryInfo root, string? relaySocket)
    {
        Proxy = proxy;
        Relay = relay;
        _root = root;
        _relaySocket = relaySocket;
        Responder = new ScriptedConversationResponder();
        proxy.Upstream.DefaultResponder = Responder;
    }

    public ProxyForClients Proxy { get; }

    public RecordingRelay Relay { get; }

    public ScriptedConversationResponder Responder { get; }

    public FakeUpstreamServer Upstream => Proxy.Upstream;

    /// <summary>Claude Code's working directory (the project it is "in").</summary>
    public string WorkingDirectory => Path.Combine(_root.FullName, "project");

    public static async Task<ClaudeCodeSession> StartAsync(bool unixSocket, CancellationToken cancellationToken)
    {
        var root = Directory.CreateTempSubdirectory("isoproxy-claude-");
        Directory.CreateDirectory(Path.Combine(root.FullName, "project"));
        Directory.CreateDirectory(Path.Combine(root.FullName, "home"));
        var proxy = await ProxyForClients.StartAsync(unixSocket, cancellationToken);
        if (proxy.UnixSocketPath is not string proxySocket)
        {
            var tcpRelay = RecordingRelay.StartTcp(new IPEndPoint(IPAddress.Loopback, proxy.TcpPort));
            return new ClaudeCodeSession(proxy, tcpRelay, root, null);
        }

        var relaySocket = ProxyTestEnvironment.NewSocketPath();
        var relay = RecordingRelay.StartUnix(relaySocket, new UnixDomainSocketEndPoint(proxySocket));
        return new ClaudeCodeSession(proxy, relay, root, relaySocket);
    }

    /// <summary>Runs <c>claude -p PROMPT --output-format json</c> to completion (bounded).</summary>
    public async Task<ClaudeCodeRun> RunAsync(string prompt, IEnumerable<string>? extraArguments = null, CancellationToken cancellationToken = default)
    {
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(_root.FullName, "home"),
            ["ANTHROPIC_API_KEY"] = PassThroughAssertions.ClientKey,
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["DISABLE_TELEMETRY"] = "1",
            ["DISABLE_ERROR_REPORTING"] = "1",
            ["CI"] = "true",
        };
        if (_relaySocket is not null)
        {
            environment["ANTHROPIC_UNIX_SOCKET"] = _relaySocket;
            environment["ANTHROPIC_BASE_URL"] = "http://localhost";
        }
        else
        {
            environment["ANTHROPIC_BASE_URL"] = Relay.TcpBaseUri!.ToString().TrimEnd('/');
        }

        List<string> arguments = ["-p", prompt, "--output-format", "json", "--model", Model, .. extraArguments ?? []];
        var result = await ChildProcess.RunAsync(ClientPaths.ClaudeBinary, arguments, WorkingDirectory, environment, RunTimeout, cancellationToken);
        return new ClaudeCodeRun(result);
    }

    /// <summary>The proxy's request log, one parsed JSON line per request.</summary>
    public IReadOnlyList<JsonElement> RequestLog() =>
        [.. Proxy.RequestLog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    /// <summary>Every upstream /v1/messages request (count_tokens excluded).</summary>
    public IReadOnlyList<RecordedRequest> MessagesRequests() =>
        [.. Upstream.Requests.Where(r => r.Path == "/v1/messages")];

    public async ValueTask DisposeAsync()
    {
        await Relay.DisposeAsync();
        await Proxy.DisposeAsync();

        try
        {
            _root.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

/// <summary>A finished Claude Code run and its JSON result.</summary>
public sealed class ClaudeCodeRun
{
    public ClaudeCodeRun(ChildResult process)
    {
        Process = process;
        var line = process.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'));
        Assert.True(line is not null, $"Claude Code printed no JSON result.\n{process}");
        Output = JsonDocument.Parse(line).RootElement.Clone();
    }

    public ChildResult Process { get; }

    public JsonElement Output { get; }

    public bool IsError => Output.TryGetProperty("is_error", out var value) && value.GetBoolean();

    public string Result => Output.TryGetProperty("result", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    public override string ToString() => Process.ToString();
}
