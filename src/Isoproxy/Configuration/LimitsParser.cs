using System.Globalization;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>limits:</c> section; every key left out takes its value from <see cref="LimitsConfig.Defaults"/>.</summary>
internal static class LimitsParser
{
    /// <summary>
    /// Timers are armed in milliseconds held in an int (e.g. <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>),
    /// so about 24.8 days is the longest a timeout can be.
    /// </summary>
    private const int MaxSeconds = int.MaxValue / 1000;

    private static readonly string[] KnownKeys =
    [
        "max_request_bytes", "max_response_bytes", "timeout_seconds", "connect_timeout_seconds",
        "stream_idle_seconds", "stream_max_seconds", "max_concurrent_requests", "shutdown_grace_seconds",
        "client_header_timeout_seconds", "client_keepalive_seconds", "client_min_body_bytes_per_second",
        "max_request_header_bytes", "max_request_headers", "max_connections",
    ];

    public static LimitsConfig Parse(MappingReader root)
    {
        var defaults = LimitsConfig.Defaults;
        var limits = root.Has("limits") ? root.Mapping("limits", KnownKeys) : null;
        if (limits is null)
        {
            return defaults;
        }
        return new LimitsConfig(
            MaxRequestBytes: Size(limits, "max_request_bytes") ?? defaults.MaxRequestBytes,
            MaxResponseBytes: Size(limits, "max_response_bytes") ?? defaults.MaxResponseBytes,
            Timeout: Seconds(limits, "timeout_seconds") ?? defaults.Timeout,
            ConnectTimeout: Seconds(limits, "connect_timeout_seconds") ?? defaults.ConnectTimeout,
            StreamIdle: Seconds(limits, "stream_idle_seconds") ?? defaults.StreamIdle,
            StreamMax: Seconds(limits, "stream_max_seconds") ?? defaults.StreamMax,
            MaxConcurrentRequests: PositiveInteger(limits, "max_concurrent_requests") ?? defaults.MaxConcurrentRequests,
            ShutdownGrace: Seconds(limits, "shutdown_grace_seconds") ?? defaults.ShutdownGrace,
            ClientHeaderTimeout: Seconds(limits, "client_header_timeout_seconds") ?? defaults.ClientHeaderTimeout,
            ClientKeepAlive: Seconds(limits, "client_keepalive_seconds") ?? defaults.ClientKeepAlive,
            ClientMinBodyBytesPerSecond: PositiveInteger(limits, "client_min_body_bytes_per_second") ?? defaults.ClientMinBodyBytesPerSecond,
            MaxRequestHeaderBytes: IntSize(limits, "max_request_header_bytes") ?? defaults.MaxRequestHeaderBytes,
            MaxRequestHeaders: PositiveInteger(limits, "max_request_headers") ?? defaults.MaxRequestHeaders,
            MaxConnections: PositiveInteger(limits, "max_connections") ?? defaults.MaxConnections);
    }

    private static long? Size(MappingReader limits, string key)
    {
        var text = limits.Scalar(key)?.Value;
        if (text is null)
        {
            return null;
        }
        if (!SizeParser.TryParse(text, out var bytes))
        {
            limits.Error(key, "must be a positive size: bytes (5242880) or a number with B, KB, MB or GB (5MB)");
            return null;
        }
        return bytes;
    }

    /// <summary>A size the server holds in an int (Kestrel's header limits).</summary>
    private static int? IntSize(MappingReader limits, string key)
    {
        var text = limits.Scalar(key)?.Value;
        if (text is null)
        {
            return null;
        }
        if (!SizeParser.TryParse(text, out var bytes) || bytes > int.MaxValue)
        {
            limits.Error(key, string.Create(CultureInfo.InvariantCulture, $"must be a positive size of at most {int.MaxValue} bytes: bytes (32768) or a number with B, KB, MB or GB (32KB)"));
            return null;
        }
        return (int)bytes;
    }

    private static TimeSpan? Seconds(MappingReader limits, string key)
    {
        var text = limits.Scalar(key)?.Value;
        if (text is null)
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            || seconds > MaxSeconds
            || TimeSpan.FromSeconds(seconds) <= TimeSpan.Zero)
        {
            limits.Error(key, string.Create(CultureInfo.InvariantCulture, $"must be a positive number of seconds, at most {MaxSeconds}"));
            return null;
        }
        return TimeSpan.FromSeconds(seconds);
    }

    private static int? PositiveInteger(MappingReader limits, string key)
    {
        var text = limits.Scalar(key)?.Value;
        if (text is null)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            limits.Error(key, "must be a positive integer");
            return null;
        }
        return value;
    }
}
