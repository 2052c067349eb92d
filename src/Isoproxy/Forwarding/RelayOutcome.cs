namespace Isoproxy.Forwarding;

/// <summary>How a response body relay ended; goes into the log line.</summary>
public enum RelayOutcome
{
    /// <summary>Still relaying, or never started.</summary>
    Pending,

    /// <summary>The upstream body ended and every byte reached the client.</summary>
    Completed,

    /// <summary>Over <c>max_response_bytes</c>.</summary>
    ResponseTooLarge,

    /// <summary>The stream was silent longer than <c>stream_idle_seconds</c>.</summary>
    StreamIdleTimeout,

    /// <summary>The stream ran longer than <c>stream_max_seconds</c>.</summary>
    StreamMaxDuration,

    /// <summary>A non-streaming body was not complete within <c>timeout_seconds</c>.</summary>
    BodyTimeout,

    /// <summary>The proxy's shutdown grace period ended.</summary>
    ShutdownGraceExpired,
}
