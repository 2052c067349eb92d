using System.Globalization;
using System.Text.RegularExpressions;
using Isoproxy.Configuration;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Security;

/// <summary>
/// One row per attack, sent as exact bytes over TCP. Each row asserts the status the client gets
/// and that the fake upstream saw nothing, or exactly one request to an allowlisted path on the
/// configured upstream (never another host, never another path).
/// </summary>
public sealed partial class HostileHttpTests(HostileHttpTests.Fixture fixture) : IClassFixture<HostileHttpTests.Fixture>
{
    private const string SecondKey = "second-provider-key-d41c";

    /// <summary>One proxy and upstream for all rows; rows run one after another and reset the recording.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public ProxyTestEnvironment Env { get; private set; } = null!;

        public async ValueTask InitializeAsync() =>
            Env = await ProxyTestEnvironment.StartAsync(
                config => ProxyTestEnvironment.WithSecondProvider(config, "second", UpstreamAuth.XApiKey, SecondKey) with { DefaultProvider = "anthropic" });

        public async ValueTask DisposeAsync() => await Env.DisposeAsync();
    }

    private const string Json = "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

    /// <summary>Name, raw request, final status, and the upstream path it was forwarded to (null: never forwarded).</summary>
    public static TheoryData<string, string, int, string?> Attacks => new()
    {
        // Baseline: a plain request is forwarded.
        { "baseline", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 200, "/v1/messages" },

        // Absolute-form target naming another host: not a route (the proxy is no forward proxy).
        { "absolute-form", "POST http://evil.example/v1/messages HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n" + Json, 404, null },
        // Absolute-form with https and the real API host: still not a route.
        { "absolute-form-https", "POST https://api.anthropic.com/v1/messages HTTP/1.1\r\nHost: api.anthropic.com\r\nConnection: close\r\n" + Json, 404, null },
        // Absolute-form whose authority disagrees with Host: Kestrel rejects it.
        { "absolute-form-host-mismatch", "POST http://evil.example/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 400, null },
        // CONNECT tunnel request (authority-form): not a route.
        { "connect", "CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\nConnection: close\r\n\r\n", 404, null },
        // Asterisk-form: not a route.
        { "options-asterisk", "OPTIONS * HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 404, null },

        // Network-path reference: "//host/..." must not become a host.
        { "double-slash-host", "POST //evil.example/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "double-slash-path", "POST //v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },

        // Dot segments, plain and encoded, and encoded slashes: matched literally, so never a route.
        { "dot-dot", "GET /v1/messages/../models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 404, null },
        { "dot-dot-encoded", "GET /v1/messages/%2e%2e/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 404, null },
        { "dot-dot-encoded-upper", "GET /v1/messages/%2E%2E/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 404, null },
        { "dot-dot-in-model-id", "GET /v1/models/..%2F..%2Fadmin HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 404, null },
        { "dot-segment-single", "POST /v1/./messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "encoded-slash", "POST /v1%2Fmessages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "encoded-slash-provider", "POST /second%2Fv1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "encoded-letters", "POST /%76%31/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "dot-dot-out-of-health", "GET /health/../v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 404, null },
        { "backslash", "POST /v1\\messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        // An encoded NUL: Kestrel rejects the target while decoding it.
        { "encoded-nul", "POST /v1/messages%00 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 400, null },

        // Path parameters and trailing slashes: not the route.
        { "path-parameter", "POST /v1/messages;evil=1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "trailing-slash", "POST /v1/messages/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "at-sign-authority", "POST /v1/messages@evil.example HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },

        // Case variants: routes are case-sensitive.
        { "upper-case-path", "POST /V1/MESSAGES HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "mixed-case-provider", "POST /Second/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        // Methods are case-sensitive tokens too: "post" is not POST.
        { "lower-case-method", "post /v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 405, null },

        // Host and X-Forwarded-Host spoofing: forwarded, but to the configured upstream only (Host is replaced).
        { "host-spoofing", "POST /v1/messages HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n" + Json, 200, "/v1/messages" },
        { "x-forwarded-host", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Host: evil.example\r\nX-Forwarded-Proto: http\r\nForwarded: host=evil.example\r\nConnection: close\r\n" + Json, 200, "/v1/messages" },

        // Request smuggling. Both framings: Transfer-Encoding wins (RFC 9112 §6.3), the length is
        // dropped, exactly the chunked body is forwarded, and the bytes after it are never a second upstream request.
        { "content-length-and-chunked", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 40\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\nPOST /v1/models HTTP/1.1\r\n\r\n", 200, "/v1/messages" },
        // Duplicate or list-valued lengths, and chunked not last: Kestrel rejects them.
        { "duplicate-content-length", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 5\r\nConnection: close\r\n\r\n{}", 400, null },
        { "content-length-list", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2, 2\r\nConnection: close\r\n\r\n{}", 400, null },
        { "chunked-not-last", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked, identity\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400, null },

        // Obsolete line folding and CR/LF inside header values.
        { "obs-fold", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nx-folded: a\r\n b\r\nConnection: close\r\n" + Json, 400, null },
        { "bare-cr-in-value", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nx-evil: a\rHost: evil.example\r\nConnection: close\r\n" + Json, 400, null },
        { "nul-in-value", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nx-evil: a\0b\r\nConnection: close\r\n" + Json, 400, null },
        { "space-before-colon", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nx-api-key : x\r\nConnection: close\r\n" + Json, 400, null },

        // Oversized header block (over the 32 KB limit).
        { "oversized-headers", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nx-big: " + new string('a', 40 * 1024) + "\r\nConnection: close\r\n" + Json, 431, null },

        // Upgrade / WebSocket: the upgrade is stripped and the GET is forwarded as a plain request.
        { "websocket-upgrade", "GET /v1/models HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n", 200, "/v1/models" },
        { "h2c-upgrade", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade, HTTP2-Settings, close\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n" + Json, 200, "/v1/messages" },

        // HTTP/2 prior knowledge on the HTTP/1.1-only listener: no HTTP/1 answer at all (Kestrel
        // sends an HTTP/2 GOAWAY frame and closes; see the dedicated test).
        { "http2-prior-knowledge", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0, null },

        // Expect: 100-continue: Kestrel answers 100 itself; the upstream gets the whole body and no Expect.
        { "expect-100-continue", "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nConnection: close\r\n" + Json, 200, "/v1/messages" },

        // A credential that claims to be another provider's key: discarded; the routed provider's key is sent.
        { "other-provider-key", "POST /anthropic/v1/messages HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + SecondKey + "\r\nAuthorization: Bearer " + SecondKey + "\r\nConnection: close\r\n" + Json, 200, "/v1/messages" },

        // Path prefixes naming unknown providers or hosts.
        { "unknown-provider", "POST /evil/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "host-as-provider", "POST /evil.example/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "provider-with-port", "POST /anthropic:443/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
        { "provider-userinfo", "POST /anthropic@evil.example/v1/messages HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + Json, 404, null },
    };

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task HostileRequest_ExpectedStatus_OnlyAllowlistedRouteOnConfiguredUpstream(string name, string request, int status, string? forwardedPath)
    {
        var ct = TestContext.Current.CancellationToken;
        var env = fixture.Env;
        env.Upstream.Reset();

        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, request, TimeSpan.FromSeconds(5), ct);

        Assert.True(status == FinalStatus(response), $"{name}: expected {status}, got:\n{Head(response)}");
        var recorded = env.Upstream.Requests;
        if (forwardedPath is null)
        {
            Assert.Empty(recorded);
            return;
        }
        var upstream = Assert.Single(recorded);
        Assert.Equal(forwardedPath, upstream.Path);
        Assert.Equal($"localhost:{env.Upstream.Port}", upstream.GetHeader("host"));
        // Only the routed provider's key, nothing the client sent as a credential or hop-by-hop header.
        Assert.Equal(ProxyTestEnvironment.UpstreamKey, upstream.GetHeader("x-api-key"));
        Assert.False(upstream.HasHeader("authorization"));
        Assert.DoesNotContain(upstream.Headers, h => h.Value.Contains(SecondKey, StringComparison.Ordinal));
        Assert.Equal(upstream.Method == "POST" ? "{}" : "", upstream.BodyText);
        foreach (var hopByHop in new[] { "upgrade", "expect", "x-folded" })
        {
            Assert.False(upstream.HasHeader(hopByHop), $"{name}: {hopByHop} forwarded");
        }
    }

    [Fact]
    public async Task Http2PriorKnowledge_AnsweredWithGoAwayOnly()
    {
        var env = fixture.Env;
        env.Upstream.Reset();

        var response = await RawHttp.SendAsync(env.Proxy.TcpEndPoint!, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        // An HTTP/2 frame header: 24-bit length, then type 0x7 (GOAWAY).
        Assert.True(response.Length >= 9, $"got {response.Length} bytes");
        Assert.Equal('\u0007', response[3]);
        Assert.Empty(env.Upstream.Requests);
    }

    /// <summary>The status of the final (non-1xx) response, or 0 when the connection closed without one.</summary>
    private static int FinalStatus(string response)
    {
        foreach (Match match in StatusLine().Matches(response))
        {
            var code = int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            if (code >= 200)
            {
                return code;
            }
        }
        return 0;
    }

    private static string Head(string response) => response.Length > 400 ? response[..400] : response;

    [GeneratedRegex(@"^HTTP/1\.1 (\d{3}) ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex StatusLine();
}
