using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// One scripted answer (or fault). Each instance answers a single request and records what it
/// actually sent, so tests can compare the bytes and timing the client saw with the original.
/// </summary>
public sealed class FakeResponse : IFakeResponder
{
    // Bigger streamed bodies are hashed but not kept, so multi-hundred-megabyte tests stay cheap.
    private const int LargeWriteSize = 16 * 1024;
    private const string FillerAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly byte[] FillerPrefix = "{\"filler\":\""u8.ToArray();
    private static readonly byte[] FillerSuffix = "\"}"u8.ToArray();
    private static readonly TimeSpan DefaultDelayBeforeCut = TimeSpan.FromMilliseconds(200);

    private readonly Func<FakeResponse, HttpContext, CancellationToken, Task> _run;
    private readonly bool _keepSentBody;
    private readonly Lock _lock = new();
    private readonly MemoryStream _sent = new();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<DateTimeOffset> _flushTimes = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sentLength;
    private string? _sentSha256;
    private int _used;

    private FakeResponse(string description, Func<FakeResponse, HttpContext, CancellationToken, Task> run, bool keepSentBody = true)
    {
        Description = description;
        _run = run;
        _keepSentBody = keepSentBody;
    }

    /// <summary>What this response does, for diagnostics.</summary>
    public string Description { get; }

    /// <summary>The request this response answered, once it has been used.</summary>
    public RecordedRequest? Request { get; private set; }

    /// <summary>
    /// The body bytes written so far, exactly as put on the wire by the fake (compressed for
    /// <see cref="Gzip"/>). Empty for <see cref="LargeBody"/>, which only keeps a hash.
    /// </summary>
    public byte[] SentBody
    {
        get
        {
            lock (_lock)
            {
                return _sent.ToArray();
            }
        }
    }

    /// <summary>Number of body bytes written so far.</summary>
    public long SentBodyLength => Interlocked.Read(ref _sentLength);

    /// <summary>Lower-case hex SHA-256 of every body byte written; set once the response has finished.</summary>
    public string? SentBodySha256
    {
        get
        {
            lock (_lock)
            {
                return _sentSha256;
            }
        }
    }

    /// <summary>When each written chunk was flushed to the connection (streamed responses).</summary>
    public IReadOnlyList<DateTimeOffset> FlushTimes
    {
        get
        {
            lock (_lock)
            {
                return [.. _flushTimes];
            }
        }
    }

    /// <summary>Completes when the response finished, whether normally, aborted or failed.</summary>
    public Task Completion => _completion.Task;

    async Task IFakeResponder.RespondAsync(HttpContext context, RecordedRequest request, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _used, 1) != 0)
        {
            throw new InvalidOperationException($"FakeResponse '{Description}' was already used; enqueue a new one per request.");
        }

        Request = request;
        try
        {
            await _run(this, context, cancellationToken);
        }
        finally
        {
            lock (_lock)
            {
                _sentSha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
            }

            _completion.TrySetResult();
        }
    }

    /// <summary>A body with exact bytes and Content-Length (default Content-Type application/json).</summary>
    public static FakeResponse Json(int status, string body, params (string Name, string Value)[] headers) =>
        Json(status, Encoding.UTF8.GetBytes(body), headers);

    /// <inheritdoc cref="Json(int, string, ValueTuple{string, string}[])"/>
    public static FakeResponse Json(int status, byte[] body, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new FakeResponse($"json {status}", async (self, context, ct) =>
        {
            PrepareHeaders(context, status, headers, "application/json");
            context.Response.ContentLength = body.Length;
            await self.WriteAsync(context, body, flush: true, ct);
        });
    }

    /// <summary>An error or other status reply; the same as <see cref="Json(int, string, ValueTuple{string, string}[])"/>.</summary>
    public static FakeResponse Status(int status, string body = "", params (string Name, string Value)[] headers) =>
        Json(status, body, headers);

    /// <summary>A reply in Anthropic's error envelope, e.g. 529 overloaded_error or 429 rate_limit_error.</summary>
    public static FakeResponse Error(int status, string errorType, string message, params (string Name, string Value)[] headers) =>
        Json(status, AnthropicEvents.ErrorEnvelope(errorType, message).ToJsonString(), headers);

    /// <summary>
    /// The body gzipped, with Content-Encoding: gzip and Content-Length of the compressed bytes.
    /// <see cref="SentBody"/> holds the compressed bytes, which a pass-through proxy must relay unchanged.
    /// </summary>
    public static FakeResponse Gzip(int status, byte[] uncompressedJson, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(uncompressedJson);
        var compressed = Compress(uncompressedJson);
        return new FakeResponse($"gzip {status}", async (self, context, ct) =>
        {
            PrepareHeaders(context, status, headers, "application/json");
            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = compressed.Length;
            await self.WriteAsync(context, compressed, flush: true, ct);
        });
    }

    /// <summary>
    /// A 200 text/event-stream reply without Content-Length (chunked on HTTP/1.1); headers go out
    /// at once, then each chunk is written and flushed on its own after its delay.
    /// </summary>
    public static FakeResponse Sse(IEnumerable<SseChunk> chunks, params (string Name, string Value)[] headers)
    {
        var list = Materialise(chunks);
        return new FakeResponse("sse", async (self, context, ct) => await self.StreamChunksAsync(context, list, headers, ct));
    }

    /// <summary>The same as <see cref="Sse"/>; named for tests whose chunks carry long delays.</summary>
    public static FakeResponse SlowStream(IEnumerable<SseChunk> chunks, params (string Name, string Value)[] headers) =>
        Sse(chunks, headers);

    /// <summary>A 200 stream that starts a message, then sends an SSE <c>error</c> event and ends.</summary>
    public static FakeResponse SseErrorEvent(string errorType = "overloaded_error", string message = "Overloaded")
    {
        var chunks = new[]
        {
            AnthropicEvents.ToChunk(AnthropicEvents.MessageStart(AnthropicEvents.NewMessageId(), "claude-fake-1", 10)),
            SseChunk.Event("error", AnthropicEvents.ErrorEnvelope(errorType, message).ToJsonString()),
        };
        return new FakeResponse("sse error event", async (self, context, ct) => await self.StreamChunksAsync(context, chunks, [], ct));
    }

    /// <summary>
    /// Sends the chunks as a stream, then aborts the connection mid-response after
    /// <paramref name="delayBeforeCut"/> (default 200 ms). The pause matters: an abort may reset the
    /// TCP connection, and a reset makes the peer's kernel discard bytes it has not read yet.
    /// </summary>
    public static FakeResponse CutStreamAfter(IEnumerable<SseChunk> chunks, TimeSpan? delayBeforeCut = null)
    {
        var list = Materialise(chunks);
        return new FakeResponse("cut stream", async (self, context, ct) =>
        {
            await self.StreamChunksAsync(context, list, [], ct);
            await Task.Delay(delayBeforeCut ?? DefaultDelayBeforeCut, ct);
            FakeUpstreamServer.AbortConnection(context, self.Request);
        });
    }

    /// <summary>A typical cut: message_start, content_block_start and one text delta, then abort.</summary>
    public static FakeResponse CutStreamAfterFirstDelta() =>
        CutStreamAfter(AnthropicEvents.TextStreamEvents(AnthropicEvents.NewMessageId(), "claude-fake-1", "Partial", 10)
            .Take(3)
            .Select(AnthropicEvents.ToChunk));

    /// <summary>Never sends anything (not even headers) until the client goes away or the server is disposed.</summary>
    public static FakeResponse NeverAnswer() =>
        new("never answer", async (_, _, ct) => await Task.Delay(Timeout.Infinite, ct));

    /// <summary>Sends the chunks as a stream, then stays silent with the connection open.</summary>
    public static FakeResponse SilenceAfter(IEnumerable<SseChunk> chunks)
    {
        var list = Materialise(chunks);
        return new FakeResponse("silence after", async (self, context, ct) =>
        {
            await self.StreamChunksAsync(context, list, [], ct);
            await Task.Delay(Timeout.Infinite, ct);
        });
    }

    /// <summary>Aborts the connection before any response header is sent.</summary>
    public static FakeResponse ResetBeforeHeaders() =>
        new("reset before headers", (self, context, _) =>
        {
            FakeUpstreamServer.AbortConnection(context, self.Request);
            return Task.CompletedTask;
        });

    /// <summary>Declares Content-Length N, sends fewer bytes, then aborts (after a pause, see <see cref="CutStreamAfter"/>).</summary>
    public static FakeResponse DeclaredLengthButShortBody(int declaredLength, byte[] partialBody, TimeSpan? delayBeforeCut = null)
    {
        ArgumentNullException.ThrowIfNull(partialBody);
        if (partialBody.Length >= declaredLength)
        {
            throw new ArgumentException("The partial body must be shorter than the declared length.", nameof(partialBody));
        }

        return new FakeResponse("short body", async (self, context, ct) =>
        {
            PrepareHeaders(context, 200, [], "application/json");
            context.Response.ContentLength = declaredLength;
            await self.WriteAsync(context, partialBody, flush: true, ct);
            await Task.Delay(delayBeforeCut ?? DefaultDelayBeforeCut, ct);
            FakeUpstreamServer.AbortConnection(context, self.Request);
        });
    }

    /// <summary>
    /// A large deterministic body (see <see cref="LargeBodyContent"/>) written in 16 KB pieces,
    /// with or without Content-Length. Only a hash of what was sent is kept.
    /// </summary>
    public static FakeResponse LargeBody(int status, long size, string contentType = "application/json", bool declareLength = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new FakeResponse($"large body {size}", async (self, context, ct) =>
        {
            PrepareHeaders(context, status, [], contentType);
            if (declareLength)
            {
                context.Response.ContentLength = size;
            }

            var buffer = new byte[LargeWriteSize];
            for (long offset = 0; offset < size; offset += LargeWriteSize)
            {
                var count = (int)Math.Min(LargeWriteSize, size - offset);
                FillLargeBody(buffer.AsSpan(0, count), offset, size);
                await self.WriteAsync(context, buffer.AsMemory(0, count), flush: false, ct);
            }

            await context.Response.Body.FlushAsync(ct);
        }, keepSentBody: false);
    }

    /// <summary>The exact bytes <see cref="LargeBody"/> sends for a given size.</summary>
    public static byte[] LargeBodyContent(int size)
    {
        var data = new byte[size];
        FillLargeBody(data, 0, size);
        return data;
    }

    /// <summary>A normal Anthropic reply (streamed or not, as the request asks) with this text.</summary>
    public static FakeResponse AnthropicText(string text)
    {
        var responder = new AnthropicResponder { ReplyText = text };
        return new FakeResponse("anthropic text", async (self, context, ct) =>
            await ((IFakeResponder)responder).RespondAsync(context, self.Request!, ct));
    }

    /// <summary>Anything else: the handler gets the context, the recording and the abort token.</summary>
    public static FakeResponse Custom(Func<HttpContext, RecordedRequest, CancellationToken, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new FakeResponse("custom", async (self, context, ct) => await handler(context, self.Request!, ct));
    }

    public override string ToString() => Description;

    private async Task StreamChunksAsync(
        HttpContext context,
        IReadOnlyList<SseChunk> chunks,
        (string Name, string Value)[] headers,
        CancellationToken ct)
    {
        PrepareHeaders(context, 200, headers, "text/event-stream");
        if (!context.Response.Headers.ContainsKey("Cache-Control"))
        {
            context.Response.Headers.CacheControl = "no-cache";
        }

        // Headers go out before the first delay, as a real streaming API sends them at once.
        await context.Response.StartAsync(ct);
        await context.Response.Body.FlushAsync(ct);
        foreach (var chunk in chunks)
        {
            if (chunk.DelayBefore > TimeSpan.Zero)
            {
                await Task.Delay(chunk.DelayBefore, ct);
            }

            await WriteAsync(context, chunk.Data, flush: true, ct);
        }
    }

    private async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> data, bool flush, CancellationToken ct)
    {
        lock (_lock)
        {
            _hash.AppendData(data.Span);
            if (_keepSentBody)
            {
                _sent.Write(data.Span);
            }
        }

        Interlocked.Add(ref _sentLength, data.Length);
        await context.Response.Body.WriteAsync(data, ct);
        if (flush)
        {
            await context.Response.Body.FlushAsync(ct);
            lock (_lock)
            {
                _flushTimes.Add(DateTimeOffset.UtcNow);
            }
        }
    }

    private static void PrepareHeaders(HttpContext context, int status, (string Name, string Value)[] headers, string defaultContentType)
    {
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers.Append(name, value);
        }

        if (!context.Response.Headers.ContainsKey("Content-Type"))
        {
            context.Response.ContentType = defaultContentType;
        }
    }

    private static SseChunk[] Materialise(IEnumerable<SseChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        return [.. chunks];
    }

    private static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    // JSON-looking filler, {"filler":"abc…"}, so content sniffers see plausible JSON; bytes depend
    // only on position and total size, so any slice can be generated independently.
    private static void FillLargeBody(Span<byte> destination, long offset, long size)
    {
        var framed = size >= FillerPrefix.Length + FillerSuffix.Length;
        for (var i = 0; i < destination.Length; i++)
        {
            var position = offset + i;
            if (framed && position < FillerPrefix.Length)
            {
                destination[i] = FillerPrefix[position];
            }
            else if (framed && position >= size - FillerSuffix.Length)
            {
                destination[i] = FillerSuffix[position - (size - FillerSuffix.Length)];
            }
            else
            {
                destination[i] = (byte)FillerAlphabet[(int)(position % FillerAlphabet.Length)];
            }
        }
    }
}
