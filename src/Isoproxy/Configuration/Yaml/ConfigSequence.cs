namespace Isoproxy.Configuration.Yaml;

/// <summary>A YAML list.</summary>
internal sealed class ConfigSequence(int line, IReadOnlyList<ConfigNode> items) : ConfigNode(line)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Describe() => "a list";
}
