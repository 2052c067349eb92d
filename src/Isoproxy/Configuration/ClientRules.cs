using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>The rules across <c>clients:</c> entries; <see cref="ClientsParser"/> runs each once the key it checks is read.</summary>
internal static class ClientRules
{
    /// <summary>Two clients with one name could not be told apart in the logs. Records the name when it is the first.</summary>
    public static bool IsFirstName(MappingReader client, string name, Dictionary<string, int> namesSeen)
    {
        if (namesSeen.TryGetValue(name, out var firstLine))
        {
            client.Error(ClientFields.Name.Key, $"duplicate client name {ConfigEcho.Quote(name)} (first used at line {firstLine})");
            return false;
        }
        namesSeen.Add(name, client.LineOf(ClientFields.Name.Key));
        return true;
    }

    /// <summary>Two clients with one token could not be told apart either. Records the hash when it is the first.</summary>
    public static bool IsFirstHash(MappingReader client, ReadOnlySpan<byte> hash, Dictionary<string, int> hashesSeen)
    {
        var hex = Convert.ToHexStringLower(hash);
        if (hashesSeen.TryGetValue(hex, out var firstLine))
        {
            client.Error(ClientFields.TokenSha256.Key, $"the same token hash is already used by another client (line {firstLine})");
            return false;
        }
        hashesSeen.Add(hex, client.LineOf(ClientFields.TokenSha256.Key));
        return true;
    }
}
