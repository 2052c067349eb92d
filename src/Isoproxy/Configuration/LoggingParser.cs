using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>logging:</c> section, key by key from <see cref="LoggingFields"/>; a key left out keeps its default.</summary>
internal static class LoggingParser
{
    public static LoggingConfig Default => LoggingFields.Defaults;

    private static readonly string[] KnownKeys = [.. LoggingFields.All.Select(field => field.Key)];

    public static LoggingConfig Parse(MappingReader root)
    {
        var logging = root.Has("logging") ? root.Mapping("logging", KnownKeys) : null;
        return logging is null
            ? Default
            : LoggingFields.All.Aggregate(LoggingFields.Defaults, (config, field) => field.Read(logging, config));
    }
}
