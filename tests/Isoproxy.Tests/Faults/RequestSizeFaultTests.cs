using System.Text;
using Isoproxy.Tests.Infrastructure;
using Xunit;

namespace Isoproxy.Tests.Faults;

/// <summary><c>max_request_bytes</c>: declared and counted request bodies.</summary>
public sealed class RequestSizeFaultTests
{
    private const long Limit = 1024;

    [Fact]
    public async Task DeclaredContentLength_OverLimit_413BeforeUpstreamContacted()
    {
        await using var env = await FaultEnvironment.StartAsync(l => l with { MaxRequestBytes = Limit });

        using var request = FaultEnvironment.Messages(new string('x', (int)Limit + 1));
        using var response = await env.Client.SendAsync(request, TestContext.Current.CancellationToken);

        var message = await FaultAssert.ProxyErrorAsync(response, 413, "request_too_large", "request_too_large", retryCannotHelp: true);
        Assert.Contains("max_request_bytes (1024 bytes)", message, StringComparison.Ordinal);
        Assert.Empty(env.Upstream.Requests);
        Assert.Equal(0, env.Upstream.ConnectionCount);
    }

    [Fact]
    public async Task ChunkedBody_CountedPastLimit_413AndUpstreamNeverGetsCompleteBody()
    {
        await using var env = await FaultEnvironment.StartAsync(l => l with { MaxRequestBytes = Limit });
        var ct = TestContext.Current.CancellationToken;

        // The first chunk fits and is forwarded while the client is still sending; the second crosses the limit.
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(env.Proxy.TcpEndPoint!, ct);
        var stream = client.GetStream();
        var piece = new string('a', 600);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            "POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + $"258\r\n{piece}\r\n"), ct);
        await Task.Delay(300, ct);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"258\r\n{piece}\r\n0\r\n\r\n"), ct);

        var answer = await ReadResponseAsync(stream, ct);
        Assert.Equal(413, RawHttp.StatusOf(answer));
        Assert.Contains("x-isoproxy-error: request_too_large", answer, StringComparison.OrdinalIgnoreCase);
        FaultAssert.Envelope(answer[(answer.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], "request_too_large");

        // The upstream either never saw the request or saw it cut: never a complete body.
        var recorded = await WaitForRequestOrNullAsync(env, TimeSpan.FromSeconds(3));
        if (recorded is not null)
        {
            Assert.False(recorded.BodyComplete);
            Assert.True(recorded.Body.Length <= Limit, $"upstream read {recorded.Body.Length} bytes");
        }
    }

    private static async Task<Isoproxy.FakeUpstream.RecordedRequest?> WaitForRequestOrNullAsync(ProxyTestEnvironment env, TimeSpan timeout)
    {
        try
        {
            return await env.Upstream.WaitForRequestAsync(0, timeout);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>Reads one response with a Content-Length body (the proxy's error), bounded in time.</summary>
    private static async Task<string> ReadResponseAsync(Stream stream, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0 && text.EndsWith('}'))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The server may close after answering; what arrived is the answer.
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
