using System.Collections.Immutable;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>clients:</c> list: each entry key by key from <see cref="ClientFields"/>, with the rules of <see cref="ClientRules"/>.</summary>
internal static class ClientsParser
{
    private static readonly string[] KnownKeys = [.. ClientFields.All.Select(field => field.Key)];

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

        // Each entry's providers must be configured ones, so the row reads them against this load's names.
        var providersField = ClientFields.Providers with { Kind = ClientKinds.ProviderNames(providerNames) };
        var clients = ImmutableArray.CreateBuilder<ClientConfig>();
        var namesSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        var hashesSeen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var mapping = MappingReader.Create(items[i], $"{root.ChildPath("clients")}[{i}]", diagnostics, KnownKeys);
            if (mapping is null)
            {
                continue;
            }
            var client = ClientFields.Name.Read(mapping, ClientFields.Defaults);
            var nameValid = client.Name.Length > 0 && ClientRules.IsFirstName(mapping, client.Name, namesSeen);
            client = ClientFields.TokenSha256.Read(mapping, client);
            var hashValid = !client.TokenSha256.IsEmpty && ClientRules.IsFirstHash(mapping, client.TokenSha256.AsSpan(), hashesSeen);
            client = providersField.Read(mapping, client);
            if (nameValid && hashValid)
            {
                clients.Add(client);
            }
        }
        return clients.ToImmutable();
    }
}
