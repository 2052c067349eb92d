using System.Collections.Immutable;
using System.Globalization;
using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>The general kinds of value that configuration tables use, and the ways a kind reads its key.</summary>
internal static class FieldKinds
{
    /// <summary>
    /// Timers are armed in milliseconds held in an int (e.g. <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>),
    /// so about 24.8 days is the longest a timeout can be.
    /// </summary>
    public const int MaxSeconds = int.MaxValue / 1000;

    public static FieldKind<long> Size { get; } = Scalar(
        "size",
        text => SizeParser.TryParse(text, out var bytes)
            ? Parsed<long>.Valid(bytes)
            : Parsed<long>.Invalid("must be a positive size: bytes (5242880) or a number with B, KB, MB or GB (5MB)"),
        SizeParser.Format);

    /// <summary>A size the server holds in an int (Kestrel's header limits).</summary>
    public static FieldKind<int> IntSize { get; } = Scalar(
        "size, at most 2 GB − 1",
        text => SizeParser.TryParse(text, out var bytes) && bytes <= int.MaxValue
            ? Parsed<int>.Valid((int)bytes)
            : Parsed<int>.Invalid(string.Create(CultureInfo.InvariantCulture,
                $"must be a positive size of at most {int.MaxValue} bytes: bytes (32768) or a number with B, KB, MB or GB (32KB)")),
        bytes => SizeParser.Format(bytes));

    public static FieldKind<TimeSpan> Seconds { get; } = Scalar(
        "seconds",
        text => double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= MaxSeconds && TimeSpan.FromSeconds(seconds) > TimeSpan.Zero
                ? Parsed<TimeSpan>.Valid(TimeSpan.FromSeconds(seconds))
                : Parsed<TimeSpan>.Invalid(string.Create(CultureInfo.InvariantCulture, $"must be a positive number of seconds, at most {MaxSeconds}")),
        value => value.TotalSeconds.ToString(CultureInfo.InvariantCulture));

    public static FieldKind<int> PositiveInteger { get; } = Scalar(
        "positive integer",
        text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? Parsed<int>.Valid(value)
            : Parsed<int>.Invalid("must be a positive integer"),
        value => value.ToString(CultureInfo.InvariantCulture));

    /// <summary><c>true</c> or <c>false</c>, as <see cref="MappingReader.Bool"/> reads them.</summary>
    public static FieldKind<bool> Bool { get; } = new(
        "bool",
        (mapping, key) => mapping.Bool(key) is bool value ? Parsed<bool>.Valid(value) : Parsed<bool>.Nothing,
        YamlText.Bool);

    /// <summary>A scalar read as written (so <c>0660</c> and <c>off</c> keep their text); an empty one is the parser's to judge.</summary>
    public static FieldKind<T> Scalar<T>(string name, Func<string, Parsed<T>> parse, Func<T, string> format) =>
        new(name, (mapping, key) => Report(mapping, key, mapping.Scalar(key)?.Value is { } text ? parse(text) : Parsed<T>.Nothing), format);

    /// <summary>A non-empty string (an empty one is reported as such before <paramref name="parse"/> sees it).</summary>
    public static FieldKind<T> Text<T>(string name, Func<string, Parsed<T>> parse, Func<T, string> format) =>
        new(name, (mapping, key) => Report(mapping, key, mapping.String(key) is { } text ? parse(text) : Parsed<T>.Nothing), format);

    /// <summary>A non-empty string taken as it is.</summary>
    public static FieldKind<string?> Text(string name) => Text<string?>(name, text => Parsed<string?>.Valid(text), YamlText.ScalarOrNull);

    /// <summary>One of a closed set of words; the first word of a value is how it is printed.</summary>
    public static FieldKind<T> Words<T>(string name, IReadOnlyList<(string Word, T Value)> words, string rule, Func<string, string> formatWord) =>
        Scalar(
            name,
            text => words.FirstOrDefault(choice => choice.Word == text) is { Word: not null } match
                ? Parsed<T>.Valid(match.Value)
                : Parsed<T>.Invalid(rule),
            value => formatWord(words.First(choice => EqualityComparer<T>.Default.Equals(choice.Value, value)).Word));

    /// <summary>A list; every invalid item is reported with its index and left out, the valid ones are kept.</summary>
    public static FieldKind<ImmutableArray<TItem>> List<TItem>(string name, Func<ConfigNode, Parsed<TItem>> parseItem, Func<TItem, string> formatItem) =>
        new(
            name,
            (mapping, key) =>
            {
                var items = mapping.Sequence(key);
                if (items is null)
                {
                    return Parsed<ImmutableArray<TItem>>.Nothing;
                }
                var values = ImmutableArray.CreateBuilder<TItem>();
                for (var i = 0; i < items.Count; i++)
                {
                    var item = parseItem(items[i]);
                    if (item.Problem is not null)
                    {
                        mapping.ItemError(key, i, items[i], item.Problem);
                    }
                    if (item.HasValue)
                    {
                        values.Add(item.Value);
                    }
                }
                return Parsed<ImmutableArray<TItem>>.Valid(values.ToImmutable());
            },
            values => YamlText.List(values, formatItem));

    /// <summary>The text of a list item that is a non-null scalar, else null.</summary>
    public static string? ItemText(ConfigNode item) => item is ConfigScalar { IsNull: false } scalar ? scalar.Value : null;

    private static Parsed<T> Report<T>(MappingReader mapping, string key, Parsed<T> parsed)
    {
        if (parsed.Problem is not null)
        {
            mapping.Error(key, parsed.Problem);
        }
        return parsed;
    }
}
