using System.Net;

namespace Isoproxy.Configuration;

/// <summary>
/// The configuration without a file: the common case of one Anthropic key in the environment
/// works with no setup, and everything else is the documented default.
/// </summary>
internal static class BuiltInConfig
{
    public const string ProviderName = "anthropic";
    public const string KeyVariable = "ANTHROPIC_API_KEY";
    public static readonly Uri Endpoint = new("https://api.anthropic.com");

    public static ConfigLoadResult Create(Func<string, string?> getEnvironmentVariable)
    {
        var key = ProviderKeyReader.FromEnvironment(KeyVariable, getEnvironmentVariable, out var error);
        if (key is null)
        {
            var reason = error ?? $"environment variable {KeyVariable} is not set or empty";
            return new ConfigLoadResult(
                null,
                [$"built-in configuration: {reason}: export {KeyVariable}, or pass --config PATH (or set ISOPROXY_CONFIG) to use a configuration file"],
                []);
        }
        var provider = new ProviderConfig(
            ProviderName, Endpoint, key, $"env:{KeyVariable}", UpstreamAuth.XApiKey, CaFile: null,
            HttpVersion.Version11, Resolve: [], UnsafeAllowPrivateAddresses: false);
        var config = new ProxyConfig(
            ListenParser.Default, ProviderName, [provider], LimitsConfig.Defaults, LoggingParser.Default, Clients: []);
        return new ConfigLoadResult(config, [], []);
    }
}
