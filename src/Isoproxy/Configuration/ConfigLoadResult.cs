using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>
/// The outcome of loading a configuration: either a config and no errors, or errors and no
/// config. Warnings (every <c>unsafe_</c> setting in use) accompany a valid config.
/// </summary>
public sealed record ConfigLoadResult(ProxyConfig? Config, ImmutableArray<string> Errors, ImmutableArray<string> Warnings)
{
    public bool IsValid => Config is not null && Errors.IsEmpty;

    /// <summary>SHA-256 (lower-case hex) of the file's bytes as read; null for the built-in default or an unreadable file.</summary>
    public string? SourceSha256 { get; init; }
}
