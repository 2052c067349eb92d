using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Isoproxy.FakeUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Isoproxy.Bench;

/// <summary>
/// The HTTPS upstream both proxies forward to. Its behaviour per request is chosen by the
/// <see cref="BenchPayloads.ScenarioHeader"/>: <c>json</c> (default), <c>stream</c>, <c>cut</c>
/// (a stream the upstream aborts half-way) and <c>overloaded</c> (529). Every reply to a message
/// carries the SHA-256 of the request body it received, so the client can check the bytes.
/// </summary>
public static class BenchUpstream
{
    /// <summary>Generates a CA into <c>--dir</c> (ca.pem), serves on <c>--port</c> until killed.</summary>
    public static async Task<int> RunAsync(Options options)
    {
        var directory = options.Text("dir");
        var port = options.Integer("port");
        using var authority = new TestCertificateAuthority("Isoproxy Bench CA");
        using var leaf = authority.IssueLocalhostCertificate();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = directory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(leaf);
            });
        });
        var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync();
        // Written last: its presence tells the benchmark script that the upstream is serving.
        authority.WriteCaPem(Path.Combine(directory, "ca.pem"));
        await app.WaitForShutdownAsync();
        return 0;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "";
        if (HttpMethods.IsGet(request.Method) && path == "/v1/models")
        {
            await WriteJsonAsync(context, 200, BenchPayloads.Models);
            return;
        }
        if (HttpMethods.IsGet(request.Method) && path.StartsWith("/v1/models/", StringComparison.Ordinal))
        {
            await WriteJsonAsync(context, 200, BenchPayloads.Model(path["/v1/models/".Length..]));
            return;
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.StatusCode = 404;
            return;
        }

        var (sha256, length) = await ReadBodyAsync(request.Body, context.RequestAborted);
        if (path == "/v1/messages/count_tokens")
        {
            await WriteJsonAsync(context, 200, BenchPayloads.CountTokens(length));
            return;
        }
        if (path != "/v1/messages")
        {
            context.Response.StatusCode = 404;
            return;
        }

        switch (request.Headers[BenchPayloads.ScenarioHeader].ToString())
        {
            case "stream":
                await StreamAsync(context, sha256, cut: false);
                break;
            case "cut":
                await StreamAsync(context, sha256, cut: true);
                break;
            case "overloaded":
                context.Response.Headers["x-should-retry"] = "true";
                await WriteJsonAsync(context, 529, BenchPayloads.Overloaded);
                break;
            default:
                await WriteJsonAsync(context, 200, BenchPayloads.ReplyJson(sha256));
                break;
        }
    }

    private static async Task<(string Sha256, long Length)> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }
        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    private static Task WriteJsonAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static async Task StreamAsync(HttpContext context, string sha256, bool cut)
    {
        var events = HeaderNumber(context, BenchPayloads.EventsHeader, 20);
        var interval = TimeSpan.FromMilliseconds(HeaderNumber(context, BenchPayloads.IntervalHeader, 10));
        var response = context.Response;
        var aborted = context.RequestAborted;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.StartAsync(aborted);
        await response.Body.WriteAsync(BenchPayloads.MessageStart(sha256), aborted);
        await response.Body.WriteAsync(BenchPayloads.BlockStart, aborted);
        await response.Body.FlushAsync(aborted);
        for (var i = 0; i < events; i++)
        {
            await Task.Delay(interval, aborted);
            if (cut && i == events / 2)
            {
                // The upstream dies mid-stream: the client must never see a complete stream.
                context.Abort();
                return;
            }
            await response.Body.WriteAsync(BenchPayloads.Delta(MonotonicClock.NowNanoseconds()), aborted);
            await response.Body.FlushAsync(aborted);
        }
        await response.Body.WriteAsync(BenchPayloads.StreamEnd, aborted);
    }

    private static int HeaderNumber(HttpContext context, string name, int fallback) =>
        int.TryParse(context.Request.Headers[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
