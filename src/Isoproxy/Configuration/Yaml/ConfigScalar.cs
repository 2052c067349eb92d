namespace Isoproxy.Configuration.Yaml;

/// <summary>A scalar exactly as written; typing is left to the loader so that <c>0660</c> and <c>off</c> keep their text.</summary>
internal sealed class ConfigScalar(int line, string value, bool isPlain) : ConfigNode(line)
{
    public string Value { get; } = value;

    /// <summary>True when written without quotes (only then can it mean null).</summary>
    public bool IsPlain { get; } = isPlain;

    /// <summary>YAML's null: an empty plain value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe() => IsNull ? "nothing" : "a scalar";
}
