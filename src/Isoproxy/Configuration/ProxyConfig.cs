using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>
/// The validated, immutable configuration the proxy runs with. It is only ever produced by
/// <c>ConfigLoader</c>, which has already rejected every invalid value, so code that
/// consumes it never re-validates.
/// </summary>
/// <param name="DefaultProvider">
/// The provider that serves un-prefixed <c>/v1/...</c> paths: <c>default_provider</c>, or the only
/// provider when there is one. Null when several providers are configured and none is named the
/// default: then only <c>/&lt;name&gt;/v1/...</c> is served, never a guess.
/// </param>
public sealed record ProxyConfig(
    ListenConfig Listen,
    string? DefaultProvider,
    ImmutableArray<ProviderConfig> Providers,
    LimitsConfig Limits,
    LoggingConfig Logging,
    ImmutableArray<ClientConfig> Clients)
{
    /// <summary>The provider with the given name, or null when none is configured.</summary>
    public ProviderConfig? FindProvider(string name)
    {
        foreach (var provider in Providers)
        {
            if (string.Equals(provider.Name, name, StringComparison.Ordinal))
            {
                return provider;
            }
        }
        return null;
    }
}
