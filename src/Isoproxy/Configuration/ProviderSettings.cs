using System.Collections.Immutable;
using System.Net;

namespace Isoproxy.Configuration;

/// <summary>
/// One provider's keys as <see cref="ProviderFields"/> reads and prints them: what the file says,
/// before the key itself is read. <see cref="ProviderParser"/> turns it into a <see cref="ProviderConfig"/>.
/// </summary>
internal sealed record ProviderSettings
{
    public Uri? Endpoint { get; init; }

    public string? ApiKeyEnv { get; init; }

    public string? ApiKeyFile { get; init; }

    public string? ApiKeyCredential { get; init; }

    /// <summary>Where the key came from, as <see cref="ProviderConfig.KeySource"/> says it; empty until the key is read.</summary>
    public string KeySource { get; init; } = "";

    public UpstreamAuth Auth { get; init; }

    public string? CaFile { get; init; }

    public Version HttpVersion { get; init; } = System.Net.HttpVersion.Version11;

    public ImmutableArray<IPAddress> Resolve { get; init; } = [];

    public bool UnsafeAllowPrivateAddresses { get; init; }

    /// <summary>The settings a loaded provider runs with, for printing them.</summary>
    public static ProviderSettings Of(ProviderConfig provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new ProviderSettings
        {
            Endpoint = provider.Endpoint,
            KeySource = provider.KeySource,
            Auth = provider.Auth,
            CaFile = provider.CaFile,
            HttpVersion = provider.HttpVersion,
            Resolve = provider.Resolve,
            UnsafeAllowPrivateAddresses = provider.UnsafeAllowPrivateAddresses,
        };
    }
}
