using System.Globalization;
using System.Text;

namespace Isoproxy.Configuration;

/// <summary>
/// Prints the configuration the proxy actually runs with, every default filled in, for
/// <c>isoproxy check</c> and start-up. Each section's lines come from its table of fields. Keys
/// appear only as <c>[redacted]</c> with their source; client token hashes are cut to their first
/// 8 hex digits, enough to tell clients apart.
/// </summary>
public static class EffectiveConfigWriter
{
    public static string Render(ProxyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var yaml = new StringBuilder();
        yaml.Append("# Effective configuration: every default filled in, keys redacted.\n");
        yaml.Append("listen:\n");
        WriteFields(yaml, "  ", ListenFields.All, config.Listen);
        WriteFields(yaml, "", RootFields.All, config);
        yaml.Append("providers:\n");
        foreach (var provider in config.Providers)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  {YamlText.Scalar(provider.Name)}:\n");
            WriteFields(yaml, "    ", ProviderFields.All, ProviderSettings.Of(provider));
        }
        yaml.Append("limits:\n");
        WriteFields(yaml, "  ", LimitsFields.All, config.Limits);
        yaml.Append("logging:\n");
        WriteFields(yaml, "  ", LoggingFields.All, config.Logging);
        WriteClients(yaml, config);
        WriteAdmin(yaml, config.Admin);
        return yaml.ToString();
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
            // The first key of a list entry carries the entry's dash.
            WriteFields(yaml, "    ", ClientFields.All, client, firstIndent: "  - ");
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
        WriteFields(yaml, "  ", AdminFields.All, admin);
    }

    private static void WriteFields<TSection>(
        StringBuilder yaml, string indent, IEnumerable<IConfigField<TSection>> fields, TSection section, string? firstIndent = null)
    {
        var lineIndent = firstIndent ?? indent;
        foreach (var field in fields)
        {
            if (field.EffectiveLine(section) is { } line)
            {
                yaml.Append(lineIndent).Append(line).Append('\n');
                lineIndent = indent;
            }
        }
    }
}
