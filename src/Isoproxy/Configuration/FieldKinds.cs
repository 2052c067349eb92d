using System.Globalization;

namespace Isoproxy.Configuration;

/// <summary>The kinds of scalar value that configuration tables use.</summary>
internal static class FieldKinds
{
    /// <summary>
    /// Timers are armed in milliseconds held in an int (e.g. <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>),
    /// so about 24.8 days is the longest a timeout can be.
    /// </summary>
    public const int MaxSeconds = int.MaxValue / 1000;

    public static FieldKind<long> Size { get; } = new(
        "size",
        text => SizeParser.TryParse(text, out var bytes) ? bytes : null,
        "must be a positive size: bytes (5242880) or a number with B, KB, MB or GB (5MB)",
        SizeParser.Format);

    /// <summary>A size the server holds in an int (Kestrel's header limits).</summary>
    public static FieldKind<int> IntSize { get; } = new(
        "size, at most 2 GB − 1",
        text => SizeParser.TryParse(text, out var bytes) && bytes <= int.MaxValue ? (int)bytes : null,
        string.Create(CultureInfo.InvariantCulture, $"must be a positive size of at most {int.MaxValue} bytes: bytes (32768) or a number with B, KB, MB or GB (32KB)"),
        bytes => SizeParser.Format(bytes));

    public static FieldKind<TimeSpan> Seconds { get; } = new(
        "seconds",
        text => double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= MaxSeconds && TimeSpan.FromSeconds(seconds) > TimeSpan.Zero
                ? TimeSpan.FromSeconds(seconds)
                : null,
        string.Create(CultureInfo.InvariantCulture, $"must be a positive number of seconds, at most {MaxSeconds}"),
        value => value.TotalSeconds.ToString(CultureInfo.InvariantCulture));

    public static FieldKind<int> PositiveInteger { get; } = new(
        "positive integer",
        text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null,
        "must be a positive integer",
        value => value.ToString(CultureInfo.InvariantCulture));
}
