using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>logging:</c> section.</summary>
internal static class LoggingParser
{
    /// <summary>Metadata only: enough to operate the proxy, never a prompt, reply or credential.</summary>
    public static LoggingConfig Default { get; } = new(LogMode.Metadata);

    private static readonly string[] KnownKeys = ["mode"];

    public static LoggingConfig Parse(MappingReader root)
    {
        var logging = root.Has("logging") ? root.Mapping("logging", KnownKeys) : null;
        // Read as written: a plain `off` is a string here, not YAML 1.1's false.
        var text = logging?.Scalar("mode")?.Value;
        switch (text)
        {
            case null:
                return Default;
            case "off":
                return new LoggingConfig(LogMode.Off);
            case "metadata":
                return new LoggingConfig(LogMode.Metadata);
            case "debug":
                return new LoggingConfig(LogMode.Debug);
            default:
                logging!.Error("mode", "must be off, metadata or debug");
                return Default;
        }
    }
}
