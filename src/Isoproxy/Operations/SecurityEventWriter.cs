using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Isoproxy.Operations;

/// <summary>
/// Writes what an operator audits as JSON lines on stderr: one object per line with <c>time</c>,
/// <c>event</c> and the event's fields. No event carries a key, a token, a configuration file's
/// content or anything from a request body; every value is a configuration name, a closed-set
/// word, a number or a hash.
/// </summary>
public sealed class SecurityEventWriter(TextWriter output, TimeProvider? timeProvider = null)
{
    /// <summary>At most one <c>connection_limit</c> event per interval; the count says how many refusals it stands for.</summary>
    public static readonly TimeSpan ConnectionLimitInterval = TimeSpan.FromSeconds(10);

    /// <summary>At most one <c>peer_refused</c> event per interval; the count says how many refusals it stands for.</summary>
    public static readonly TimeSpan PeerRefusedInterval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Lock _writeLock = new();
    private readonly EventThrottle _connectionLimit = new(ConnectionLimitInterval, timeProvider ?? TimeProvider.System);
    private readonly EventThrottle _peerRefused = new(PeerRefusedInterval, timeProvider ?? TimeProvider.System);

    /// <param name="source">The file path, or <c>built-in</c>.</param>
    /// <param name="sha256">SHA-256 of the file as read; null for the built-in default.</param>
    public void ConfigLoaded(string source, string? sha256, IEnumerable<string> providers) =>
        Write(SecurityEventNames.ConfigLoaded, json =>
        {
            json.WriteString("source", source);
            json.WriteString("sha256", sha256);
            WriteStrings(json, "providers", providers);
        });

    /// <param name="restartRequired">Settings that changed but take effect only after a restart (kept as they were).</param>
    public void ConfigReloaded(string source, string? sha256, IEnumerable<string> providers, IEnumerable<string> restartRequired) =>
        Write(SecurityEventNames.ConfigReloaded, json =>
        {
            json.WriteString("source", source);
            json.WriteString("sha256", sha256);
            WriteStrings(json, "providers", providers);
            WriteStrings(json, "restart_required", restartRequired);
        });

    /// <param name="problems">The loader's messages, which never contain a key.</param>
    public void ConfigReloadFailed(string source, IEnumerable<string> problems) =>
        Write(SecurityEventNames.ConfigReloadFailed, json =>
        {
            json.WriteString("source", source);
            WriteStrings(json, "problems", problems);
        });

    /// <param name="reason">The refusal's <c>x-isoproxy-error</c> reason.</param>
    /// <param name="client">The client's configured name when its token was valid; never a token.</param>
    public void ClientRefused(string requestId, int status, string reason, string? client, string? provider) =>
        Write(SecurityEventNames.ClientRefused, json =>
        {
            json.WriteString("request_id", requestId);
            json.WriteNumber("status", status);
            json.WriteString("reason", reason);
            json.WriteString("client", client);
            json.WriteString("provider", provider);
        });

    /// <summary>
    /// Counts one Unix-socket peer refused at accept (no request was read, so there is no request
    /// id); writes an event at most once per <see cref="PeerRefusedInterval"/>, with that peer's ids.
    /// </summary>
    /// <param name="uid">The peer's user id, or null when the kernel did not say.</param>
    public void PeerRefused(uint? uid, uint? gid)
    {
        if (_peerRefused.Count() is not long count)
        {
            return;
        }
        Write(SecurityEventNames.PeerRefused, json =>
        {
            WriteOptionalNumber(json, "uid", uid);
            WriteOptionalNumber(json, "gid", gid);
            json.WriteNumber("count", count);
        });
    }

    /// <param name="host">The configured endpoint's host.</param>
    public void UpstreamAddressRefused(string requestId, string provider, string host) =>
        Write(SecurityEventNames.UpstreamAddressRefused, json =>
        {
            json.WriteString("request_id", requestId);
            json.WriteString("provider", provider);
            json.WriteString("host", host);
        });

    /// <summary>Counts one connection refused by the connection limit; writes an event at most once per <see cref="ConnectionLimitInterval"/>.</summary>
    /// <param name="limit">The configured limit.</param>
    public void ConnectionLimit(long limit)
    {
        if (_connectionLimit.Count() is not long count)
        {
            return;
        }
        Write(SecurityEventNames.ConnectionLimit, json =>
        {
            json.WriteNumber("count", count);
            json.WriteNumber("limit", limit);
        });
    }

    public void ShutdownStarted(TimeSpan grace, long inFlight) =>
        Write(SecurityEventNames.ShutdownStarted, json =>
        {
            json.WriteNumber("grace_seconds", grace.TotalSeconds);
            json.WriteNumber("in_flight", inFlight);
        });

    public void ShutdownFinished(TimeSpan duration) =>
        Write(SecurityEventNames.ShutdownFinished, json => json.WriteNumber("duration_ms", (long)duration.TotalMilliseconds));

    private void Write(string name, Action<Utf8JsonWriter> writeFields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("time", _time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
            json.WriteString("event", name);
            writeFields(json);
            json.WriteEndObject();
        }
        var line = Encoding.UTF8.GetString(buffer.ToArray());
        lock (_writeLock)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    private static void WriteOptionalNumber(Utf8JsonWriter json, string name, uint? value)
    {
        if (value is uint number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
