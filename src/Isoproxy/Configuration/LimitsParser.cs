using Isoproxy.Configuration.Yaml;

namespace Isoproxy.Configuration;

/// <summary>Reads the <c>limits:</c> section, key by key from <see cref="LimitsFields"/>; a key left out keeps its default.</summary>
internal static class LimitsParser
{
    private static readonly string[] KnownKeys = [.. LimitsFields.All.Select(field => field.Key)];

    public static LimitsConfig Parse(MappingReader root)
    {
        var limits = root.Has("limits") ? root.Mapping("limits", KnownKeys) : null;
        return limits is null
            ? LimitsConfig.Defaults
            : LimitsFields.All.Aggregate(LimitsConfig.Defaults, (config, field) => field.Read(limits, config));
    }
}
