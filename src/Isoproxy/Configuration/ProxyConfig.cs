using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>
/// The validated, immutable configuration the proxy runs with. It is only ever produced by
/// <c>ConfigLoader</c>, which has already rejected every invalid value, so code that
/// consumes it never re-validates.
/// </summary>
/// <param name="Listen">Where clients connect.</param>
/// <param name="DefaultProvider">
/// The provider that serves un-prefixed <c>/v1/...</c> paths: <c>default_provider</c>, or the only
/// provider when there is one. Null when several providers are configured and none is named the
/// default: then only <c>/&lt;name&gt;/v1/...</c> is served, never a guess.
/// </param>
/// <param name="Providers">The upstreams, in configuration order; never empty.</param>
/// <param name="Limits">Resource bounds.</param>
/// <param name="Logging">What is logged per request.</param>
/// <param name="Clients">When not empty, only these clients may use the proxy.</param>
public sealed record ProxyConfig(
    ListenConfig Listen,
    string? DefaultProvider,
    ImmutableArray<ProviderConfig> Providers,
    LimitsConfig Limits,
    LoggingConfig Logging,
    ImmutableArray<ClientConfig> Clients)
{
    /// <summary>The operator's listener (<c>admin:</c>), or null for none.</summary>
    public AdminConfig? Admin { get; init; }

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
