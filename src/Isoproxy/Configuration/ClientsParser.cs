using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>clients:</c> list.</summary>
internal static partial class ClientsParser
{
    private static readonly string[] KnownKeys = ["name", "token_sha256", "providers"];

    /// <summary>The clients; empty when the list is absent (then no client token is required).</summary>
    public static ImmutableArray<ClientConfig> Parse(MappingReader root, IReadOnlySet<string> providerNames, ConfigDiagnostics diagnostics)
    {
        var items = root.Sequence("clients");
        if (items is null)
        {
            return [];
        }
        if (items.Count == 0)
        {
            // An empty list reads like "no one may connect" but would mean "anyone may": refuse it.
            root.Error("clients", "must list at least one client when present (remove the key to require no client token)");
            return [];
        }

        var clients = ImmutableArray.CreateBuilder<ClientConfig>();
        var namesSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var hashesSeen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var client = MappingReader.Create(items[i], $"{root.ChildPath("clients")}[{i}]", diagnostics, KnownKeys);
            if (client is null)
            {
                continue;
            }
            var name = ParseName(client, namesSeen);
            var hash = ParseHash(client, hashesSeen);
            var providers = ParseProviders(client, providerNames);
            if (name is not null && hash is not null)
            {
                clients.Add(new ClientConfig(name, hash.Value, providers));
            }
        }
        return clients.ToImmutable();
    }

    private static string? ParseName(MappingReader client, Dictionary<string, int> namesSeen)
    {
        if (!client.Has("name"))
        {
            client.Error("name", "is required");
            return null;
        }
        var name = client.String("name");
        if (name is null)
        {
            return null;
        }
        // The name is written to logs in place of the token, so it stays log-safe.
        if (!NamePattern().IsMatch(name))
        {
            client.Error("name", "must contain only letters, digits, '.', '_' and '-'");
            return null;
        }
        if (namesSeen.TryGetValue(name, out var firstLine))
        {
            client.Error("name", $"duplicate client name {ConfigEcho.Quote(name)} (first used at line {firstLine})");
            return null;
        }
        namesSeen.Add(name, client.LineOf("name"));
        return name;
    }

    private static ImmutableArray<byte>? ParseHash(MappingReader client, Dictionary<string, int> hashesSeen)
    {
        if (!client.Has("token_sha256"))
        {
            client.Error("token_sha256", "is required (printf %s \"$TOKEN\" | sha256sum)");
            return null;
        }
        var hex = client.String("token_sha256");
        if (hex is null)
        {
            return null;
        }
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            client.Error("token_sha256", "must be 64 hexadecimal characters (printf %s \"$TOKEN\" | sha256sum)");
            return null;
        }
        if (hashesSeen.TryGetValue(hex, out var firstLine))
        {
            // Two clients with one token could not be told apart in the logs.
            client.Error("token_sha256", $"the same token hash is already used by another client (line {firstLine})");
            return null;
        }
        hashesSeen.Add(hex, client.LineOf("token_sha256"));
        return [.. Convert.FromHexString(hex)];
    }

    private static ImmutableArray<string> ParseProviders(MappingReader client, IReadOnlySet<string> providerNames)
    {
        var items = client.Sequence("providers");
        if (items is null)
        {
            return [];
        }
        var providers = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not ConfigScalar { IsNull: false } scalar)
            {
                client.ItemError("providers", i, items[i], "must be a provider name");
            }
            else if (!providerNames.Contains(scalar.Value))
            {
                client.ItemError("providers", i, items[i], $"provider {ConfigEcho.Quote(scalar.Value)} is not configured under providers");
            }
            else
            {
                providers.Add(scalar.Value);
            }
        }
        return providers.ToImmutable();
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
