using System.Globalization;

namespace Isoproxy.Bench;

/// <summary><c>--name value</c> pairs of one sub-command; everything after <c>--</c> is kept apart.</summary>
public sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public Options(IEnumerable<string> args)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == "--")
            {
                Rest = list[(i + 1)..];
                return;
            }
            if (!list[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= list.Count)
            {
                throw new ArgumentException($"expected --name value, got '{list[i]}'");
            }
            _values[list[i][2..]] = list[i + 1];
            i++;
        }
    }

    /// <summary>The arguments after <c>--</c>.</summary>
    public IReadOnlyList<string> Rest { get; } = [];

    public string Text(string name, string? fallback = null) =>
        _values.TryGetValue(name, out var value) ? value
        : fallback ?? throw new ArgumentException($"--{name} is required");

    public int Integer(string name, int? fallback = null) =>
        _values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");

    public double Number(string name, double? fallback = null) =>
        _values.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture)
        : fallback ?? throw new ArgumentException($"--{name} is required");

    /// <summary>A comma-separated list of process ids (empty when absent).</summary>
    public IReadOnlyList<int> ProcessIds(string name) =>
        _values.TryGetValue(name, out var value)
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture))]
            : [];
}
