namespace Isoproxy.Configuration;

/// <param name="Mode">What is written per request.</param>
public sealed record LoggingConfig(LogMode Mode);

/// <summary><c>logging.mode</c>.</summary>
public enum LogMode
{
    /// <summary>Nothing per request.</summary>
    Off,

    /// <summary>One JSON line per request: metadata only, never a body or credential.</summary>
    Metadata,

    /// <summary>Metadata plus header names and values with credentials redacted. Announced loudly at start-up.</summary>
    Debug,
}
