using System.Security.Cryptography;

namespace Isoproxy.FakeUpstream;

/// <summary>
/// One request exactly as the fake upstream received it, so tests can assert what the proxy
/// forwarded (headers, body bytes) and how the connection behaved (protocol, reuse, abort).
/// </summary>
public sealed class RecordedRequest
{
    private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _abortedAtTicks;

    internal RecordedRequest(
        string method,
        string path,
        string queryString,
        IReadOnlyList<KeyValuePair<string, string>> headers,
        string protocol,
        string connectionId,
        DateTimeOffset receivedAt)
    {
        Method = method;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Protocol = protocol;
        ConnectionId = connectionId;
        ReceivedAt = receivedAt;
    }

    /// <summary>Position of this request in <see cref="FakeUpstreamServer.Requests"/> when it was recorded.</summary>
    public int Index { get; internal set; }

    public string Method { get; }

    /// <summary>The raw request-target path, not percent-decoded, without the query.</summary>
    public string Path { get; }

    /// <summary>The raw query including its leading '?', or empty when there was none.</summary>
    public string QueryString { get; }

    /// <summary>
    /// Headers as received, one entry per received value (so a header sent once is one entry and a
    /// duplicated header shows up twice). HTTP/2 names arrive lower-cased; Kestrel canonicalises
    /// the case of well-known HTTP/1.1 names.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>"HTTP/1.1" or "HTTP/2".</summary>
    public string Protocol { get; }

    /// <summary>Kestrel's connection id: equal ids mean the client reused a connection.</summary>
    public string ConnectionId { get; }

    /// <summary>When the request headers were handed to the fake.</summary>
    public DateTimeOffset ReceivedAt { get; }

    /// <summary>The request body bytes that were read (all of them when <see cref="BodyComplete"/>).</summary>
    public byte[] Body { get; private set; } = [];

    /// <summary>Lower-case hex SHA-256 of <see cref="Body"/>.</summary>
    public string BodySha256 { get; private set; } = HexSha256([]);

    /// <summary>False when reading the body failed part-way (client went away, bad framing).</summary>
    public bool BodyComplete { get; private set; }

    /// <summary>Why the body read failed, when it did.</summary>
    public Exception? BodyReadError { get; private set; }

    /// <summary>When the whole body had been read (or the read failed).</summary>
    public DateTimeOffset BodyReadAt { get; private set; }

    /// <summary>Completes when the request was aborted: the client went away or the fake cut it.</summary>
    public Task Aborted => _aborted.Task;

    /// <summary>When the abort was observed, or null while the request was not aborted.</summary>
    public DateTimeOffset? AbortedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _abortedAtTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>When the responder finished (normally or not); null while still answering.</summary>
    public DateTimeOffset? CompletedAt { get; internal set; }

    /// <summary>An exception thrown by the responder, other than cancellation; helps debug scripts.</summary>
    public Exception? ResponderException { get; internal set; }

    /// <summary>Body as UTF-8 text, for readable assertions.</summary>
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>All received values of a header (case-insensitive name match), comma-joined; null if absent.</summary>
    public string? GetHeader(string name)
    {
        var values = GetHeaderValues(name);
        return values.Count == 0 ? null : string.Join(", ", values);
    }

    /// <summary>Every received value of a header (case-insensitive name match).</summary>
    public IReadOnlyList<string> GetHeaderValues(string name)
    {
        var values = new List<string>();
        foreach (var header in Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                values.Add(header.Value);
            }
        }

        return values;
    }

    /// <summary>True when a header with this name was received (case-insensitive).</summary>
    public bool HasHeader(string name) => GetHeaderValues(name).Count > 0;

    internal void SetBody(byte[] body, bool complete, Exception? error)
    {
        Body = body;
        BodySha256 = HexSha256(body);
        BodyComplete = complete;
        BodyReadError = error;
        BodyReadAt = DateTimeOffset.UtcNow;
    }

    internal void MarkAborted()
    {
        Interlocked.CompareExchange(ref _abortedAtTicks, DateTimeOffset.UtcNow.UtcTicks, 0);
        _aborted.TrySetResult();
    }

    internal static string HexSha256(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
