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

    /// <summary>The value in force, as the effective configuration prints it.</summary>
    string Print(TSection section);

    /// <summary>This key's row in the documentation's table: key, type, default, meaning and why.</summary>
    string DocumentationRow(TSection defaults);
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
    where T : struct
{
    public TSection WithDefault(TSection section) => Set(section, Default);

    public TSection Read(MappingReader mapping, TSection section)
    {
        var text = mapping.Scalar(Key)?.Value;
        if (text is null)
        {
            return section;
        }
        if (Kind.Parse(text) is not T value)
        {
            mapping.Error(Key, Kind.Rule);
            return section;
        }
        return Set(section, value);
    }

    public string Print(TSection section) => Kind.Format(Get(section));

    public string DocumentationRow(TSection defaults) => $"| `{Key}` | {Kind.Name} | `{Kind.Format(Get(defaults))}` | {Meaning} |";
}
