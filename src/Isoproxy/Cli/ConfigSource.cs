using Isoproxy.Configuration;

namespace Isoproxy.Cli;

/// <summary>Which configuration a command uses: <c>--config</c>, else <c>ISOPROXY_CONFIG</c>, else the built-in default.</summary>
public static class ConfigSource
{
    public const string EnvironmentVariable = "ISOPROXY_CONFIG";

    public static (ConfigLoadResult Result, string Description) Load(string? configOption, Func<string, string?> getEnvironmentVariable)
    {
        var path = configOption ?? NullIfEmpty(getEnvironmentVariable(EnvironmentVariable));
        return path is null
            ? (ConfigLoader.BuiltInDefault(getEnvironmentVariable), "the built-in default configuration")
            : (ConfigLoader.LoadFile(path, getEnvironmentVariable), path);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
