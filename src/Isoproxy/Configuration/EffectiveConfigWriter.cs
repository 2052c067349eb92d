using System.Globalization;
using System.Net;
using System.Text;

namespace Isoproxy.Configuration;

/// <summary>
/// Prints the configuration the proxy actually runs with, every default filled in, for
/// <c>isoproxy check</c> and start-up. Keys appear only as <c>[redacted]</c> with their source;
/// client token hashes are cut to their first 8 hex digits, enough to tell clients apart.
/// </summary>
public static class EffectiveConfigWriter
{
    public static string Render(ProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var yaml = new StringBuilder();
        yaml.Append("# Effective configuration: every default filled in, keys redacted.\n");
        WriteListen(yaml, config.Listen);
        yaml.Append(CultureInfo.InvariantCulture, $"default_provider: {(config.DefaultProvider is null ? "null  # none: only /<provider>/v1/... is served" : Scalar(config.DefaultProvider))}\n");
        WriteProviders(yaml, config);
        WriteLimits(yaml, config.Limits);
        yaml.Append("logging:\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  mode: {config.Logging.Mode.ToString().ToLowerInvariant()}\n");
        WriteClients(yaml, config);
        WriteAdmin(yaml, config.Admin);
        return yaml.ToString();
    }

    private static void WriteListen(StringBuilder yaml, ListenConfig listen)
    {
        yaml.Append("listen:\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  tcp: {(listen.Tcp is null ? "null" : Scalar(FormatEndPoint(listen.Tcp)))}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  unix: {(listen.UnixSocketPath is null ? "null" : Scalar(listen.UnixSocketPath))}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  unix_mode: \"{Convert.ToString((int)listen.UnixSocketMode, 8).PadLeft(4, '0')}\"\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  unsafe_allow_non_loopback: {Bool(listen.UnsafeAllowNonLoopback)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  unsafe_allow_world_socket: {Bool(listen.UnsafeAllowWorldSocket)}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  allowed_uids: [{string.Join(", ", listen.AllowedUids)}]\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  allowed_gids: [{string.Join(", ", listen.AllowedGids)}]\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  systemd: {Bool(listen.Systemd)}\n");
    }

    private static void WriteProviders(StringBuilder yaml, ProxyConfig config)
    {
        yaml.Append("providers:\n");
        foreach (var provider in config.Providers)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  {Scalar(provider.Name)}:\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    endpoint: {Scalar(provider.Endpoint.OriginalString)}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    api_key: \"[redacted]\"  # from {DescribeKeySource(provider.KeySource)}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    auth: {(provider.Auth == UpstreamAuth.Bearer ? "bearer" : "x-api-key")}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    ca_file: {(provider.CaFile is null ? "null  # system trust store" : Scalar(provider.CaFile))}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    http_version: \"{(provider.HttpVersion.Major >= 2 ? "2" : "1.1")}\"\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    resolve: [{string.Join(", ", provider.Resolve.Select(a => Scalar(a.ToString())))}]\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    unsafe_allow_private_addresses: {Bool(provider.UnsafeAllowPrivateAddresses)}\n");
        }
    }

    private static void WriteLimits(StringBuilder yaml, LimitsConfig limits)
    {
        yaml.Append("limits:\n");
        foreach (var field in LimitsFields.All)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  {field.Key}: {field.Print(limits)}\n");
        }
    }

    private static void WriteClients(StringBuilder yaml, ProxyConfig config)
    {
        if (config.Clients.IsEmpty)
        {
            yaml.Append("clients: []  # none configured: no client token is required\n");
            return;
        }
        yaml.Append("clients:\n");
        foreach (var client in config.Clients)
        {
            var hashPrefix = Convert.ToHexStringLower(client.TokenSha256.AsSpan()[..4]);
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: {Scalar(client.Name)}\n");
            yaml.Append(CultureInfo.InvariantCulture, $"    token_sha256: \"{hashPrefix}...\"  # first 8 hex digits\n");
            var providers = client.Providers.IsEmpty ? "[]  # all" : $"[{string.Join(", ", client.Providers.Select(Scalar))}]";
            yaml.Append(CultureInfo.InvariantCulture, $"    providers: {providers}\n");
        }
    }

    private static void WriteAdmin(StringBuilder yaml, AdminConfig? admin)
    {
        if (admin is null)
        {
            yaml.Append("admin: null  # no admin listener\n");
            return;
        }
        yaml.Append("admin:\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  tcp: {(admin.Tcp is null ? "null" : Scalar(FormatEndPoint(admin.Tcp)))}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  unix: {(admin.UnixSocketPath is null ? "null" : Scalar(admin.UnixSocketPath))}\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  unix_mode: \"{Convert.ToString((int)admin.UnixSocketMode, 8).PadLeft(4, '0')}\"\n");
        yaml.Append(CultureInfo.InvariantCulture, $"  unsafe_allow_non_loopback: {Bool(admin.UnsafeAllowNonLoopback)}\n");
    }

    private static string DescribeKeySource(string keySource)
    {
        var text = keySource.StartsWith("env:", StringComparison.Ordinal) ? $"env {keySource[4..]}"
            : keySource.StartsWith("file:", StringComparison.Ordinal) ? $"file {keySource[5..]}"
            : keySource.StartsWith("credential:", StringComparison.Ordinal) ? $"systemd credential {keySource[11..]}"
            : keySource;
        // A comment ends at the line break; keep a strange path from breaking the document.
        return new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
    }

    private static string FormatEndPoint(IPEndPoint endPoint) =>
        endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? $"[{endPoint.Address}]:{endPoint.Port.ToString(CultureInfo.InvariantCulture)}"
            : $"{endPoint.Address}:{endPoint.Port.ToString(CultureInfo.InvariantCulture)}";

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    private static string Bool(bool value) => value ? "true" : "false";

    /// <summary>Plain when that cannot be misread, otherwise a double-quoted YAML string.</summary>
    private static string Scalar(string value)
    {
        var plain = value.Length > 0
            && char.IsAsciiLetter(value[0])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            && value.ToLowerInvariant() is not ("true" or "false" or "null" or "yes" or "no" or "on" or "off" or "y" or "n");
        if (plain)
        {
            return value;
        }
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                _ when char.IsControl(c) => quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => quoted.Append(c),
            };
        }
        return quoted.Append('"').ToString();
    }
}
