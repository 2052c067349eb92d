using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>One key of a configuration section, whatever its value's type.</summary>
internal interface IConfigField<TSection>
{
    string Key { get; }

    /// <summary>The section with this key's default applied.</summary>
    TSection WithDefault(TSection section);

    /// <summary>The section with the value written under this key, if any; an invalid value is reported and the section returned unchanged.</summary>
    TSection Read(MappingReader mapping, TSection section);

    /// <summary>The value in force, as the effective configuration prints it after the key (with its comment, if any).</summary>
    string Print(TSection section);

    /// <summary>This key's line in the effective configuration, without indentation; null when it has none of its own.</summary>
    string? EffectiveLine(TSection section);

    /// <summary>This key's row in the documentation's table: key, type, default, meaning and why.</summary>
    string DocumentationRow();
}

/// <summary>
/// One key of a configuration section as data: its name, kind, default and the reason for that
/// default. From this row come the key's parser, its line in the effective configuration and its
/// row in the documentation, so adding a key is one edit.
/// </summary>
internal sealed record ConfigField<TSection, T>(
    string Key,
    FieldKind<T> Kind,
    T Default,
    Func<TSection, T> Get,
    Func<TSection, T, TSection> Set,
    string Meaning) : IConfigField<TSection>
{
    /// <summary>When set, the key must be written; this is the error when it is not.</summary>
    public string? RequiredMessage { get; init; }

    /// <summary>
    /// The documentation's default column when the printed default does not say it ("none
    /// (system trust store)", "`[]` (no check)"). Otherwise it is "—" for a required key, "none"
    /// for a null default, else the default as printed.
    /// </summary>
    public string? DocumentedDefault { get; init; }

    /// <summary>A comment after the value in the effective configuration, for values that need one (<c>null  # system trust store</c>).</summary>
    public Func<T, string?>? Comment { get; init; }

    /// <summary>Replaces the effective configuration's <c>key: value</c> line; returning null leaves the line out (keys shown under another name).</summary>
    public Func<TSection, string?>? EffectiveLineOverride { get; init; }

    public TSection WithDefault(TSection section) => Set(section, Default);

    public TSection Read(MappingReader mapping, TSection section)
    {
        if (RequiredMessage is not null && !mapping.Has(Key))
        {
            mapping.Error(Key, RequiredMessage);
            return section;
        }
        var parsed = Kind.Read(mapping, Key);
        return parsed.HasValue ? Set(section, parsed.Value) : section;
    }

    public string Print(TSection section)
    {
        var value = Get(section);
        return Comment?.Invoke(value) is { } comment ? $"{Kind.Format(value)}  # {comment}" : Kind.Format(value);
    }

    public string? EffectiveLine(TSection section) =>
        EffectiveLineOverride is null ? $"{Key}: {Print(section)}" : EffectiveLineOverride(section);

    public string DocumentationRow()
    {
        var type = RequiredMessage is null ? Kind.Name : $"{Kind.Name}, **required**";
        var defaultText = DocumentedDefault
            ?? (RequiredMessage is not null ? "—" : Default is null ? "none" : $"`{Kind.Format(Default)}`");
        return $"| `{Key}` | {type} | {defaultText} | {Meaning} |";
    }
}
