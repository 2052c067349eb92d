using Isoproxy.Configuration;

namespace Isoproxy.Cli;

/// <summary>Which configuration a command uses: <c>--config</c>, else <c>ISOPROXY_CONFIG</c>, else the built-in default.</summary>
public static class ConfigSource
{
    public const string EnvironmentVariable = "ISOPROXY_CONFIG";

    /// <summary>What security events name the built-in default as its source.</summary>
    public const string BuiltIn = "built-in";

    /// <summary>The configuration file in use, or null for the built-in default.</summary>
    public static string? PathOf(string? configOption, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        return configOption ?? NullIfEmpty(getEnvironmentVariable(EnvironmentVariable));
    }

    public static (ConfigLoadResult Result, string Description) Load(string? configOption, Func<string, string?> getEnvironmentVariable)
    {
        var path = PathOf(configOption, getEnvironmentVariable);
        return path is null
            ? (ConfigLoader.BuiltInDefault(getEnvironmentVariable), "the built-in default configuration")
            : (ConfigLoader.LoadFile(path, getEnvironmentVariable), path);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
