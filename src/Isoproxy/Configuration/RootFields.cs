using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>The keys at the top of the file that hold a value rather than a section: a table like the sections' own.</summary>
internal static class RootFields
{
    /// <summary>Its default depends on the providers, so <see cref="ConfigLoader"/> decides it after reading them.</summary>
    public static ConfigField<ProxyConfig, string?> DefaultProvider { get; } = new(
        "default_provider", FieldKinds.Text("string"), null, c => c.DefaultProvider, (c, v) => c with { DefaultProvider = v },
        "Must name a configured provider. It serves un-prefixed `/v1/...`; with none, only `/<name>/v1/...` is served. The proxy never guesses which provider an un-prefixed request was meant for.")
    {
        DocumentedDefault = "the only provider when there is exactly one; with several, none",
        Comment = name => name is null ? "none: only /<provider>/v1/... is served" : null,
    };

    public static ImmutableArray<IConfigField<ProxyConfig>> All { get; } = [DefaultProvider];
}
