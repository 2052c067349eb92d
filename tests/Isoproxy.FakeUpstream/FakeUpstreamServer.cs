using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// A real HTTPS upstream on loopback (Kestrel, HTTP/1.1 and HTTP/2) that records every request
/// byte for byte and answers from a script of <see cref="FakeResponse"/>s, falling back to
/// <see cref="DefaultResponder"/> (a minimal Anthropic API).
/// </summary>
public sealed class FakeUpstreamServer : IAsyncDisposable
{
    private const string ControlPrefix = "/_fake/";
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Queue<IFakeResponder> _queue = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly bool _controlEnabled;
    private readonly TestCertificateAuthority? _ownedAuthority;
    private readonly X509Certificate2? _ownedLeaf;
    private readonly string _tempDirectory;
    private TaskCompletionSource _requestAdded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Func<HttpContext, RecordedRequest, Task>? _handler;
    private WebApplication? _app;
    private int _connectionCount;
    private int _disposed;

    private FakeUpstreamServer(FakeUpstreamOptions options)
    {
        _controlEnabled = options.EnableControlEndpoints;
        _tempDirectory = Directory.CreateTempSubdirectory("isoproxy-fake-upstream-").FullName;
        if (options.Authority is null)
        {
            _ownedAuthority = new TestCertificateAuthority("Isoproxy Fake Upstream CA");
        }

        Authority = options.Authority ?? _ownedAuthority!;
        if (options.ServerCertificate is null)
        {
            _ownedLeaf = Authority.IssueLocalhostCertificate();
        }

        ServerCertificate = options.ServerCertificate ?? _ownedLeaf!;
        CaFilePath = Path.Combine(_tempDirectory, "ca.pem");
        if (options.ServerCertificate is not null && options.Authority is null)
        {
            // A caller-supplied certificate without its CA: publish the certificate itself.
            File.WriteAllText(CaFilePath, options.ServerCertificate.ExportCertificatePem() + "\n");
        }
        else
        {
            Authority.WriteCaPem(CaFilePath);
        }

        Anthropic = new AnthropicResponder();
        if (options.ReplyText is not null)
        {
            Anthropic.ReplyText = options.ReplyText;
        }

        DefaultResponder = Anthropic;
    }

    /// <summary>https://localhost:PORT (localhost so TLS host-name checks pass).</summary>
    public Uri BaseUri { get; private set; } = null!;

    public int Port { get; private set; }

    /// <summary>PEM of the CA that signed the served certificate; deleted on dispose.</summary>
    public string CaFilePath { get; }

    /// <summary>The CA behind the served certificate.</summary>
    public TestCertificateAuthority Authority { get; }

    /// <summary>The certificate Kestrel serves.</summary>
    public X509Certificate2 ServerCertificate { get; }

    /// <summary>The built-in Anthropic responder (the initial <see cref="DefaultResponder"/>).</summary>
    public AnthropicResponder Anthropic { get; }

    /// <summary>Answers requests when the queue is empty and no <see cref="OnRequest"/> handler is set.</summary>
    public IFakeResponder DefaultResponder { get; set; }

    /// <summary>TCP connections accepted so far (before TLS), to assert connection reuse.</summary>
    public int ConnectionCount => Volatile.Read(ref _connectionCount);

    /// <summary>A snapshot of the recorded requests, in arrival order (control requests excluded).</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Scripted responses not yet used.</summary>
    public int QueuedCount
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Starts Kestrel; the returned server is listening.</summary>
    public static async Task<FakeUpstreamServer> StartAsync(FakeUpstreamOptions? options = null, CancellationToken ct = default)
    {
        var server = new FakeUpstreamServer(options ?? new FakeUpstreamOptions());
        try
        {
            await server.StartCoreAsync(options?.Port ?? 0, ct);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Scripts the answer to the next request that finds the queue non-empty.</summary>
    public FakeResponse Enqueue(FakeResponse response)
    {
        EnqueueResponder(response);
        return response;
    }

    /// <summary>Scripts any responder for the next request.</summary>
    public void EnqueueResponder(IFakeResponder responder)
    {
        ArgumentNullException.ThrowIfNull(responder);
        lock (_lock)
        {
            _queue.Enqueue(responder);
        }
    }

    /// <summary>
    /// Sets (or, with null, clears) a handler for every request that finds the queue empty; it
    /// takes precedence over <see cref="DefaultResponder"/>. Queued responses still come first so
    /// faults can be mixed into a custom conversation.
    /// </summary>
    public void OnRequest(Func<HttpContext, RecordedRequest, Task>? handler) => Volatile.Write(ref _handler, handler);

    /// <summary>Waits until request number <paramref name="index"/> (0-based) has been recorded, body included.</summary>
    public async Task<RecordedRequest> WaitForRequestAsync(int index, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        using var timeoutCts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task added;
            lock (_lock)
            {
                if (_requests.Count > index)
                {
                    return _requests[index];
                }

                added = _requestAdded.Task;
            }

            try
            {
                await added.WaitAsync(timeoutCts.Token);
            }
            catch (OperationCanceledException) when (timeoutCts.IsCancellationRequested)
            {
                throw new TimeoutException($"The fake upstream received {Requests.Count} request(s) within {timeout}; expected request #{index}.");
            }
        }
    }

    /// <summary>Forgets recordings and scripted responses (the connection count stays).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _requests.Clear();
            _queue.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Cancelling first releases held requests (NeverAnswer, SilenceAfter) so Kestrel can stop promptly.
        await _disposing.CancelAsync();
        if (_app is not null)
        {
            using var stopCts = new CancellationTokenSource(StopTimeout);
            try
            {
                await _app.StopAsync(stopCts.Token);
            }
            catch (OperationCanceledException)
            {
                // Stopping is best effort; disposal below tears down whatever is left.
            }

            await _app.DisposeAsync();
        }

        _ownedLeaf?.Dispose();
        _ownedAuthority?.Dispose();
        _disposing.Dispose();
        try
        {
            Directory.Delete(_tempDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp file is harmless; failing disposal would hide the test's real outcome.
        }
    }

    private async Task StartCoreAsync(int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(FakeUpstreamServer).Assembly.GetName().Name,
            ContentRootPath = _tempDirectory,
        });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, NoopHostLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // A pass-through proxy is tested with huge, slow or odd traffic: no server limits may interfere.
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MinRequestBodyDataRate = null;
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = 1024 * 1024;
            kestrel.Limits.MaxRequestLineSize = 1024 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 1000;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = 1024 * 1024;
            kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                // Added before TLS so every accepted TCP connection counts, even a failed handshake.
                listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref _connectionCount);
                    return next(connection);
                });
                listen.UseHttps(ServerCertificate);
            });
        });

        var app = builder.Build();
        app.Run(HandleAsync);
        _app = app;
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Port = new Uri(address).Port;
        BaseUri = new Uri($"https://localhost:{Port}");
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (_controlEnabled && context.Request.Path.StartsWithSegments(ControlPrefix.TrimEnd('/'), StringComparison.Ordinal))
        {
            await ControlEndpoints.HandleAsync(this, context, _disposing.Token);
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _disposing.Token);
        var request = StartRecording(context);
        // Disposed when the request ends: Kestrel may recycle the context's abort source afterwards.
        using var abortRegistration = context.RequestAborted.Register(request.MarkAborted);
        try
        {
            await ReadBodyAsync(context, request, linked.Token);
            AddRecording(request);
            if (!request.BodyComplete)
            {
                AbortConnection(context, request);
                return;
            }

            await RespondAsync(context, request, linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is IOException || linked.IsCancellationRequested)
        {
            // The client left or the server is going away: drop the connection, as a real upstream would.
            AbortConnection(context, request);
        }
        catch (Exception ex)
        {
            request.ResponderException = ex;
            throw;
        }
        finally
        {
            request.CompletedAt = DateTimeOffset.UtcNow;
        }
    }

    /// <summary>
    /// Aborts the request's connection (HTTP/1.1) or stream (HTTP/2) and marks the recording
    /// aborted at once. Custom handlers should use this rather than HttpContext.Abort alone:
    /// Kestrel signals RequestAborted on the thread pool, possibly after the handler returned.
    /// </summary>
    public static void AbortConnection(HttpContext context, RecordedRequest? request)
    {
        ArgumentNullException.ThrowIfNull(context);
        request?.MarkAborted();
        context.Abort();
    }

    private Task RespondAsync(HttpContext context, RecordedRequest request, CancellationToken ct)
    {
        IFakeResponder? scripted = null;
        lock (_lock)
        {
            _queue.TryDequeue(out scripted);
        }

        if (scripted is not null)
        {
            return scripted.RespondAsync(context, request, ct);
        }

        var handler = Volatile.Read(ref _handler);
        return handler is not null ? handler(context, request) : DefaultResponder.RespondAsync(context, request, ct);
    }

    private RecordedRequest StartRecording(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var query = queryStart < 0 ? string.Empty : rawTarget[queryStart..];

        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in context.Request.Headers)
        {
            foreach (var value in header.Value)
            {
                headers.Add(new KeyValuePair<string, string>(header.Key, value ?? string.Empty));
            }
        }

        return new RecordedRequest(
            context.Request.Method,
            path,
            query,
            headers,
            context.Request.Protocol,
            context.Connection.Id,
            DateTimeOffset.UtcNow);
    }

    private static async Task ReadBodyAsync(HttpContext context, RecordedRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, ct)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }

            request.SetBody(buffer.ToArray(), complete: true, error: null);
        }
        catch (Exception ex) when (ex is OperationCanceledException || ex is IOException || ex is Microsoft.AspNetCore.Http.BadHttpRequestException)
        {
            request.SetBody(buffer.ToArray(), complete: false, error: ex);
        }

        // Responders may read the body again through the usual stream.
        context.Request.Body = new MemoryStream(request.Body, writable: false);
    }

    private void AddRecording(RecordedRequest request)
    {
        TaskCompletionSource added;
        lock (_lock)
        {
            request.Index = _requests.Count;
            _requests.Add(request);
            added = _requestAdded;
            _requestAdded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        added.TrySetResult();
    }
}
