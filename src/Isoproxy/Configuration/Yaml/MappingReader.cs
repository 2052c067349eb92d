namespace Isoproxy.Configuration.Yaml;

/// <summary>
/// Reads one configuration mapping: reports unknown and duplicate keys as soon as it is
/// created, then hands out values by key, reporting wrong types against the key's full path
/// (e.g. <c>providers.openrouter.endpoint</c>).
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, ConfigEntry> _entries = new(StringComparer.Ordinal);
    private readonly ConfigDiagnostics _diagnostics;

    private MappingReader(ConfigMapping mapping, string path, ConfigDiagnostics diagnostics, IReadOnlyCollection<string>? knownKeys)
    {
        Path = path;
        Line = mapping.Line;
        _diagnostics = diagnostics;
        foreach (var entry in mapping.Entries)
        {
            var key = entry.Key.Value;
            if (_entries.TryGetValue(key, out var first))
            {
                diagnostics.Error(entry.Key.Line, ChildPath(key), $"duplicate key (first defined at line {first.Key.Line})");
            }
            else if (knownKeys is not null && !knownKeys.Contains(key))
            {
                diagnostics.Error(entry.Key.Line, ChildPath(key), UnknownKeyMessage(key, knownKeys));
            }
            else
            {
                _entries.Add(key, entry);
            }
        }
    }

    /// <summary>Key path of this mapping; empty for the document root.</summary>
    public string Path { get; }

    public int Line { get; }

    /// <summary>The distinct entries in file order (for mappings keyed by name, such as <c>providers</c>).</summary>
    public IEnumerable<ConfigEntry> Entries => _entries.Values;

    /// <summary>
    /// A reader for <paramref name="node"/>, or null (after reporting) when it is not a mapping.
    /// <paramref name="knownKeys"/> null accepts any key.
    /// </summary>
    public static MappingReader? Create(ConfigNode node, string path, ConfigDiagnostics diagnostics, IReadOnlyCollection<string>? knownKeys)
    {
        if (node is ConfigMapping mapping)
        {
            return new MappingReader(mapping, path, diagnostics, knownKeys);
        }
        diagnostics.Error(node.Line, path, $"expected a mapping, got {node.Describe()}");
        return null;
    }

    /// <summary>The key path of <paramref name="key"/>; a key that may be a pasted secret is not shown.</summary>
    public string ChildPath(string key)
    {
        var shown = ConfigEcho.IsSafe(key) ? key : "(key not shown)";
        return Path.Length == 0 ? shown : $"{Path}.{shown}";
    }

    public bool Has(string key) => _entries.ContainsKey(key);

    public ConfigNode? Node(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    /// <summary>Line of the key, or of this mapping when the key is absent (for "is required" errors).</summary>
    public int LineOf(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key.Line : Line;

    public void Error(string key, string message) => _diagnostics.Error(LineOf(key), ChildPath(key), message);

    /// <summary>Reports a problem with this mapping as a whole (e.g. a missing alternative of two keys).</summary>
    public void ErrorHere(string message) => _diagnostics.Error(Line, Path, message);

    /// <summary>Reports a problem with item <paramref name="index"/> of the list under <paramref name="key"/>.</summary>
    public void ItemError(string key, int index, ConfigNode item, string message) =>
        _diagnostics.Error(item.Line, $"{ChildPath(key)}[{index}]", message);

    public void Warning(string key, string message) => _diagnostics.Warning(LineOf(key), ChildPath(key), message);

    /// <summary>The scalar under <paramref name="key"/>; null when absent or (after reporting) not a non-null scalar.</summary>
    public ConfigScalar? Scalar(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case ConfigScalar { IsNull: true }:
                Error(key, "has no value");
                return null;
            case ConfigScalar scalar:
                return scalar;
            default:
                Error(key, $"expected a scalar, got {node.Describe()}");
                return null;
        }
    }

    /// <summary>A non-empty string; null when absent or invalid (reported).</summary>
    public string? String(string key)
    {
        var scalar = Scalar(key);
        if (scalar is not null && scalar.Value.Length == 0)
        {
            Error(key, "must not be empty");
            return null;
        }
        return scalar?.Value;
    }

    /// <summary><c>true</c> or <c>false</c> (YAML 1.2 spellings only; <c>yes</c>/<c>on</c> are refused as ambiguous).</summary>
    public bool? Bool(string key)
    {
        var scalar = Scalar(key);
        switch (scalar?.Value)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(key, "must be true or false");
                return null;
        }
    }

    /// <summary>A nested mapping; null when absent or (after reporting) not a mapping.</summary>
    public MappingReader? Mapping(string key, IReadOnlyCollection<string>? knownKeys)
    {
        var node = Node(key);
        return node is null ? null : Create(node, ChildPath(key), _diagnostics, knownKeys);
    }

    /// <summary>The items of a list; null when absent or (after reporting) not a list.</summary>
    public IReadOnlyList<ConfigNode>? Sequence(string key)
    {
        var node = Node(key);
        switch (node)
        {
            case null:
                return null;
            case ConfigSequence sequence:
                return sequence.Items;
            default:
                Error(key, $"expected a list, got {node.Describe()}");
                return null;
        }
    }

    private static string UnknownKeyMessage(string key, IReadOnlyCollection<string> knownKeys)
    {
        var message = $"unknown key (valid keys: {string.Join(", ", knownKeys)})";
        // The likeliest unknown key is a pasted secret; point at the supported ways instead.
        return key is "api_key" or "key" or "token"
            ? $"{message}; a key is never written in the configuration: use api_key_env or api_key_file"
            : message;
    }
}
