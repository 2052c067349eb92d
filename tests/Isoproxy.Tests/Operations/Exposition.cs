using System.Globalization;

namespace Isoproxy.Tests.Operations;

/// <summary>Reads a Prometheus text exposition: each sample as <c>name{labels}</c> → value, and each <c># TYPE</c>.</summary>
internal sealed class Exposition
{
    private Exposition(Dictionary<string, double> samples, Dictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    /// <summary>Samples keyed by the series exactly as written, e.g. <c>isoproxy_requests_in_flight{provider="anthropic"}</c>.</summary>
    public Dictionary<string, double> Samples { get; }

    /// <summary>Metric name → type (counter, gauge, histogram).</summary>
    public Dictionary<string, string> Types { get; }

    public static Exposition Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue;
            }
            // The value follows the last space; an optional timestamp is not used by this exporter.
            var space = line.LastIndexOf(' ');
            samples[line[..space]] = double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return new Exposition(samples, types);
    }

    /// <summary>Series and values one per line, sorted: a readable difference when a test fails.</summary>
    public static string Render(IReadOnlyDictionary<string, double> series) =>
        string.Join("\n", series.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => $"{s.Key} {s.Value.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>Every series of one metric (exactly that name, not its <c>_bucket</c>/<c>_sum</c> siblings), with values.</summary>
    public Dictionary<string, double> Series(string name) =>
        Samples.Where(s => s.Key == name || s.Key.StartsWith(name + "{", StringComparison.Ordinal))
            .ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
}
