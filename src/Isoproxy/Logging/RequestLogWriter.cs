using System.Text;
using System.Text.Json;
using Isoproxy.Configuration;

namespace Isoproxy.Logging;

/// <summary>
/// Writes one JSON line per request to the request log (stdout by default), or nothing with
/// <c>logging.mode: off</c>. Header lists are written only in debug mode, already redacted.
/// </summary>
public sealed class RequestLogWriter(TextWriter output, LogMode mode)
{
    private readonly Lock _writeLock = new();

    public LogMode Mode => mode;

    public void Write(RequestLogEntry entry)
    {
        if (mode == LogMode.Off)
        {
            return;
        }

        var line = Format(entry, includeHeaders: mode == LogMode.Debug);
        lock (_writeLock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    public static string Format(RequestLogEntry entry, bool includeHeaders)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(RequestLogFields.Time, entry.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString(RequestLogFields.RequestId, entry.RequestId);
            WriteOptional(json, RequestLogFields.Client, entry.Client);
            json.WriteString(RequestLogFields.Provider, entry.Provider);
            json.WriteString(RequestLogFields.Method, entry.Method);
            json.WriteString(RequestLogFields.Path, entry.Path);
            json.WriteNumber(RequestLogFields.Status, entry.Status);
            json.WriteNumber(RequestLogFields.RequestBytes, entry.RequestBytes);
            json.WriteNumber(RequestLogFields.ResponseBytes, entry.ResponseBytes);
            if (entry.TimeToFirstByteMs is long ttfb)
            {
                json.WriteNumber(RequestLogFields.TimeToFirstByteMs, ttfb);
            }
            else
            {
                json.WriteNull(RequestLogFields.TimeToFirstByteMs);
            }
            json.WriteNumber(RequestLogFields.DurationMs, entry.DurationMs);
            json.WriteString(RequestLogFields.UpstreamRequestId, entry.UpstreamRequestId);
            json.WriteString(RequestLogFields.Outcome, entry.Outcome);
            if (entry.Attribution is { } attribution)
            {
                WriteOptional(json, RequestLogFields.SessionId, attribution.SessionId);
                WriteOptional(json, RequestLogFields.AgentId, attribution.AgentId);
                WriteOptional(json, RequestLogFields.ParentAgentId, attribution.ParentAgentId);
                WriteOptional(json, RequestLogFields.TraceId, attribution.TraceId);
                WriteOptional(json, RequestLogFields.UserAgent, attribution.UserAgent);
            }
            if (includeHeaders)
            {
                WriteHeaders(json, RequestLogFields.RequestHeaders, entry.RequestHeaders);
                WriteHeaders(json, RequestLogFields.ResponseHeaders, entry.ResponseHeaders);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteHeaders(Utf8JsonWriter json, string name, IReadOnlyList<KeyValuePair<string, string>>? headers)
    {
        if (headers is null)
        {
            return;
        }
        json.WriteStartArray(name);
        foreach (var (headerName, value) in headers)
        {
            json.WriteStartArray();
            json.WriteStringValue(headerName);
            json.WriteStringValue(HeaderRedaction.Value(headerName, value));
            json.WriteEndArray();
        }
        json.WriteEndArray();
    }
}
