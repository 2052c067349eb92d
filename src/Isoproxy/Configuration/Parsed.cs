namespace Isoproxy.Configuration;

/// <summary>What reading one configuration value gave: a value, a problem to report, or both.</summary>
/// <param name="HasValue">True when <paramref name="Value"/> is to be used.</param>
/// <param name="Value">The value read; meaningless without <paramref name="HasValue"/>.</param>
/// <param name="Problem">What is wrong, as the error message says it; null when nothing is.</param>
/// <remarks>
/// A value with a problem exists: a pinned address that is forbidden is kept so that later
/// checks see the list as written, while the error still fails the load.
/// </remarks>
internal readonly record struct Parsed<T>(bool HasValue, T Value, string? Problem)
{
    /// <summary>Nothing to use: the key is absent, or its problem was already reported.</summary>
    public static Parsed<T> Nothing => default;

    public static Parsed<T> Valid(T value) => new(true, value, null);

    public static Parsed<T> Invalid(string problem) => new(false, default!, problem);
}
