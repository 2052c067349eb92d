using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>The <c>logging:</c> section as a table: parser, effective configuration and documentation come from its row.</summary>
internal static class LoggingFields
{
    /// <summary>Read as written: a plain <c>off</c> is the word here, not YAML 1.1's false.</summary>
    public static FieldKind<LogMode> ModeKind { get; } = FieldKinds.Words<LogMode>(
        "`off` \\| `metadata` \\| `debug`",
        [("off", LogMode.Off), ("metadata", LogMode.Metadata), ("debug", LogMode.Debug)],
        "must be off, metadata or debug",
        word => word);

    /// <summary>Metadata only: enough to operate the proxy, never a prompt, reply or credential.</summary>
    public static ConfigField<LoggingConfig, LogMode> Mode { get; } = new(
        "mode", ModeKind, LogMode.Metadata, c => c.Mode, (c, v) => c with { Mode = v },
        "`metadata` writes one JSON line per request with metadata only, never a body or credential: enough to operate the proxy without making logs a leak. `off` writes nothing per request. `debug` adds header names and values with credentials redacted and is announced at start-up; it is opt-in because headers can still carry sensitive data.");

    public static ImmutableArray<IConfigField<LoggingConfig>> All { get; } = [Mode];

    public static LoggingConfig Defaults { get; } = All.Aggregate(new LoggingConfig(LogMode.Metadata), (logging, field) => field.WithDefault(logging));
}
