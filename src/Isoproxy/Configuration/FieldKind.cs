namespace Isoproxy.Configuration;

/// <summary>How one kind of configuration value is written: read from text, printed back, named in the documentation.</summary>
/// <param name="Name">The type as the documentation names it.</param>
/// <param name="Parse">The value, or null when the text is not one (then <paramref name="Rule"/> is the error).</param>
/// <param name="Rule">What a valid value looks like, as the error message says it.</param>
/// <param name="Format">The value as the effective configuration and the documentation print it.</param>
internal sealed record FieldKind<T>(string Name, Func<string, T?> Parse, string Rule, Func<T, string> Format)
    where T : struct;
