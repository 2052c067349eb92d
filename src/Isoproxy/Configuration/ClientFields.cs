using System.Collections.Immutable;

namespace Isoproxy.Configuration;

/// <summary>
/// A <c>clients:</c> entry as a table. The rules across entries (unique names and hashes) are in
/// <see cref="ClientRules"/>.
/// </summary>
internal static class ClientFields
{
    public static ConfigField<ClientConfig, string> Name { get; } = new(
        "name", ClientKinds.Name, "", c => c.Name, (c, v) => c with { Name = v },
        "Written to logs instead of the token. Letters, digits, `.`, `_`, `-`; unique.")
    {
        RequiredMessage = "is required",
    };

    /// <summary>Only the hash is configured: the file holds no usable secret.</summary>
    public static ConfigField<ClientConfig, ImmutableArray<byte>> TokenSha256 { get; } = new(
        "token_sha256", ClientKinds.TokenSha256, [], c => c.TokenSha256, (c, v) => c with { TokenSha256 = v },
        "SHA-256 of the client's token. Only the hash is stored, so the configuration file does not hold a usable secret. Unique across clients.")
    {
        RequiredMessage = "is required (printf %s \"$TOKEN\" | sha256sum)",
        Comment = _ => "first 8 hex digits",
    };

    public static ConfigField<ClientConfig, ImmutableArray<string>> Providers { get; } = new(
        "providers", ClientKinds.ProviderNames(configured: null), [], c => c.Providers, (c, v) => c with { Providers = v },
        "The providers this client may use; each must be configured.")
    {
        DocumentedDefault = "`[]` (all)",
        Comment = providers => providers.IsEmpty ? "all" : null,
    };

    /// <summary>The rows in the order of the documentation and the effective configuration.</summary>
    public static ImmutableArray<IConfigField<ClientConfig>> All { get; } = [Name, TokenSha256, Providers];

    /// <summary>Every key's default: an entry before its keys are read (name and hash are required).</summary>
    public static ClientConfig Defaults { get; } = All.Aggregate(new ClientConfig("", [], []), (client, field) => field.WithDefault(client));
}
