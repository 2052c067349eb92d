namespace Isoproxy.Configuration.Yaml;

/// <summary>
/// A node of a parsed configuration document. The loader builds its own small tree rather than
/// using YamlDotNet's representation model because that model throws on the first duplicate
/// key, and the loader must report every problem of a file, each with its line.
/// </summary>
internal abstract class ConfigNode(int line)
{
    /// <summary>1-based line where the node starts.</summary>
    public int Line { get; } = line;

    /// <summary>What the node is, for "expected X, got Y" messages.</summary>
    public abstract string Describe();
}
