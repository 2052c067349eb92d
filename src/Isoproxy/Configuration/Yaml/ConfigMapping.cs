namespace Isoproxy.Configuration.Yaml;

/// <summary>A YAML mapping whose entries are kept in order, duplicates included, so the loader can report them.</summary>
internal sealed class ConfigMapping(int line, IReadOnlyList<ConfigEntry> entries) : ConfigNode(line)
{
    public IReadOnlyList<ConfigEntry> Entries { get; } = entries;

    public override string Describe() => "a mapping";
}
