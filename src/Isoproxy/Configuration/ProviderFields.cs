using System.Collections.Immutable;
using System.Net;

namespace Isoproxy.Configuration;

/// <summary>
/// A <c>providers.&lt;name&gt;</c> entry as a table. The three key-source rows only read the
/// names; <see cref="ProviderParser"/> reads the key itself, and the rules across keys are in
/// <see cref="ProviderRules"/>.
/// </summary>
internal static class ProviderFields
{
    public static ConfigField<ProviderSettings, Uri?> Endpoint { get; } = new(
        "endpoint", ProviderKinds.Endpoint, null, c => c.Endpoint, (c, v) => c with { Endpoint = v },
        "The only place this provider's requests and key go. Absolute `https://` only (no plaintext fallback); no user info, query or fragment. It may carry a base path (`https://openrouter.ai/api/anthropic`); request paths are appended to it. A trailing slash is removed.")
    {
        RequiredMessage = "is required (an https URL such as https://api.anthropic.com)",
    };

    /// <summary>The key is never printed; this row's line stands for all three key sources.</summary>
    public static ConfigField<ProviderSettings, string?> ApiKeyEnv { get; } = new(
        "api_key_env", ProviderKinds.EnvironmentVariableName, null, c => c.ApiKeyEnv, (c, v) => c with { ApiKeyEnv = v },
        "The key is read from this variable at start-up. The variable must be set and non-empty.")
    {
        DocumentedDefault = NoDefault,
        EffectiveLineOverride = settings => $"api_key: \"[redacted]\"  # from {DescribeKeySource(settings.KeySource)}",
    };

    public static ConfigField<ProviderSettings, string?> ApiKeyFile { get; } = new(
        "api_key_file", ProviderKinds.FilePath, null, c => c.ApiKeyFile, (c, v) => c with { ApiKeyFile = v },
        "The key is the file's content, with one trailing newline (`\\n` or `\\r\\n`) removed. The file must be a non-empty regular file, owned by the user the proxy runs as or by root, and accessible by its owner only (`chmod 600`); otherwise the error says which `chown` or `chmod` to run. Owner and mode are checked on the opened file, the one that is then read, not on the path. A file owned by another user is refused even with mode 0600: that user could replace the key. Suits container secrets.")
    {
        DocumentedDefault = NoDefault,
        EffectiveLineOverride = _ => null,
    };

    public static ConfigField<ProviderSettings, string?> ApiKeyCredential { get; } = new(
        "api_key_credential", ProviderKinds.CredentialName, null, c => c.ApiKeyCredential, (c, v) => c with { ApiKeyCredential = v },
        "The key is the file `$CREDENTIALS_DIRECTORY/NAME`, which systemd fills from `LoadCredential=NAME:PATH` or `LoadCredentialEncrypted=NAME:PATH` in the unit; read with the same checks as `api_key_file`. NAME is letters, digits, `_`, `-`, `.` (no `/`). Without `CREDENTIALS_DIRECTORY` in the environment (not started by systemd with a credential) it is a start-up error.")
    {
        DocumentedDefault = NoDefault,
        EffectiveLineOverride = _ => null,
    };

    public static ConfigField<ProviderSettings, UpstreamAuth> Auth { get; } = new(
        "auth", ProviderKinds.Auth, UpstreamAuth.XApiKey, c => c.Auth, (c, v) => c with { Auth = v },
        "How the key is sent: `x-api-key: KEY` is Anthropic's native scheme; `bearer` sends `Authorization: Bearer KEY` for providers that want it.");

    public static ConfigField<ProviderSettings, string?> CaFile { get; } = new(
        "ca_file", ProviderKinds.FilePath, null, c => c.CaFile, (c, v) => c with { CaFile = v },
        "When set, the only CA trusted for this provider's TLS certificate (a private or test upstream). Must exist and hold at least one PEM certificate.")
    {
        DocumentedDefault = "none (system trust store)",
        Comment = path => path is null ? "system trust store" : null,
    };

    public static ConfigField<ProviderSettings, Version> HttpVersion { get; } = new(
        "http_version", ProviderKinds.HttpVersion, System.Net.HttpVersion.Version11, c => c.HttpVersion, (c, v) => c with { HttpVersion = v },
        "HTTP/1.1 works with every provider and gives each streaming request its own connection. `2` (or `2.0`) is accepted.");

    public static ConfigField<ProviderSettings, ImmutableArray<IPAddress>> Resolve { get; } = new(
        "resolve", ProviderKinds.PinnedAddresses, [], c => c.Resolve, (c, v) => c with { Resolve = v },
        "Connect to these addresses instead of resolving the endpoint's host: no DNS at all. TLS still checks the endpoint's host name. Link-local, cloud metadata, unspecified, multicast and reserved addresses are errors (see [addresses](#addresses)).")
    {
        DocumentedDefault = "`[]` (use DNS)",
    };

    public static ConfigField<ProviderSettings, bool> UnsafeAllowPrivateAddresses { get; } = new(
        "unsafe_allow_private_addresses", FieldKinds.Bool, false, c => c.UnsafeAllowPrivateAddresses, (c, v) => c with { UnsafeAllowPrivateAddresses = v },
        "See [unsafe settings](#unsafe-settings).");

    /// <summary>The rows in the order of the documentation and the effective configuration.</summary>
    public static ImmutableArray<IConfigField<ProviderSettings>> All { get; } =
        [Endpoint, ApiKeyEnv, ApiKeyFile, ApiKeyCredential, Auth, CaFile, HttpVersion, Resolve, UnsafeAllowPrivateAddresses];

    /// <summary>Every key's default: a provider entry before its keys are read.</summary>
    public static ProviderSettings Defaults { get; } = All.Aggregate(new ProviderSettings(), (provider, field) => field.WithDefault(provider));

    /// <summary>Each key source is optional by itself; exactly one of the three is required.</summary>
    private const string NoDefault = "—";

    private static string DescribeKeySource(string keySource)
    {
        var text = keySource.StartsWith("env:", StringComparison.Ordinal) ? $"env {keySource[4..]}"
            : keySource.StartsWith("file:", StringComparison.Ordinal) ? $"file {keySource[5..]}"
            : keySource.StartsWith("credential:", StringComparison.Ordinal) ? $"systemd credential {keySource[11..]}"
            : keySource;
        // A comment ends at the line break; keep a strange path from breaking the document.
        return new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
    }
}
